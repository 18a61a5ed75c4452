package dev.mipeaks.gpu;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemHostAlloc;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUstream;

/**
 * The buffers of one stream: pinned host staging (x, y, per-row widths, outputs) and device inputs, outputs and
 * kernel scratch. Owned by {@link CudaMiBackend} across estimate() calls (allocating pinned memory and half a
 * gigabyte of scratch per call cost ~40 ms, more than a 10k-pair batch computes); closed with the backend.
 * The y buffers exist only when {@link LaneSizes#paired()}.
 */
final class LaneBuffers implements AutoCloseable {
    final LaneSizes sizes;
    final CUstream stream = new CUstream();
    final Pointer hxPtr = new Pointer();
    final Pointer hyPtr = new Pointer();
    final Pointer hsxPtr = new Pointer();
    final Pointer hsyPtr = new Pointer();
    final Pointer houtPtr = new Pointer();
    final ByteBuffer hx;
    final ByteBuffer hy;
    final ByteBuffer hsx;
    final ByteBuffer hsy;
    final ByteBuffer hout;
    final DevPtr dx;
    final DevPtr dy;
    final DevPtr dsx;
    final DevPtr dsy;
    final DevPtr dout;
    final DevPtr scratch;
    private final List<DevPtr> devMem = new ArrayList<>();
    private final List<Pointer> hostMem = new ArrayList<>();

    /** Allocates everything or, on a CUDA error, frees what it had and rethrows. */
    LaneBuffers(LaneSizes s) {
        this.sizes = s;
        try {
            cuStreamCreate(stream, 0);
            hx = pinned(hxPtr, s.inputBytes());
            hy = s.paired() ? pinned(hyPtr, s.inputBytes()) : null;
            hsx = pinned(hsxPtr, 8L * s.sigmaRows());
            hsy = pinned(hsyPtr, 8L * s.sigmaRows());
            hout = pinned(houtPtr, s.outBytes());
            dx = device(s.inputBytes());
            dy = s.paired() ? device(s.inputBytes()) : null;
            dsx = device(8L * s.sigmaRows());
            dsy = device(8L * s.sigmaRows());
            dout = device(s.outBytes());
            scratch = device(s.scratchBytes());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private ByteBuffer pinned(Pointer p, long bytes) {
        cuMemHostAlloc(p, Math.max(bytes, 8), 0);
        hostMem.add(p);
        return p.getByteBuffer(0, Math.max(bytes, 8)).order(ByteOrder.nativeOrder());
    }

    private DevPtr device(long bytes) {
        DevPtr p = new DevPtr();
        cuMemAlloc(p, Math.max(bytes, 8));
        devMem.add(p);
        return p;
    }

    /** Waits for the work queued on this lane's stream. */
    void sync() {
        cuStreamSynchronize(stream);
    }

    @Override
    public void close() {
        try {
            cuStreamSynchronize(stream);
            cuStreamDestroy(stream);
        } catch (CudaException | NullPointerException e) {
            // not created, or the context is gone: keep freeing the rest
        }
        for (DevPtr p : devMem) {
            try {
                cuMemFree(p);
            } catch (CudaException e) {
                // keep freeing the rest
            }
        }
        for (Pointer p : hostMem) {
            try {
                cuMemFreeHost(p);
            } catch (CudaException e) {
                // keep freeing the rest
            }
        }
        devMem.clear();
        hostMem.clear();
    }
}
