package dev.mipeaks.gpu;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import jcuda.CudaException;

/**
 * A device buffer kept across calls and reallocated only when a call needs more bytes than it has (the y factor's
 * buffers in trajectory mode: one small allocation and one synchronising free per call saved).
 */
final class GrowBuffer implements AutoCloseable {
    private DevPtr ptr;
    private long bytes;

    /** A buffer of at least {@code need} bytes; the contents are not kept when it grows. */
    DevPtr atLeast(long need) {
        long want = Math.max(need, 8);
        if (ptr == null || bytes < want) {
            close();
            DevPtr p = new DevPtr();
            cuMemAlloc(p, want);
            ptr = p;
            bytes = want;
        }
        return ptr;
    }

    @Override
    public void close() {
        if (ptr != null) {
            DevPtr p = ptr;
            ptr = null;
            bytes = 0;
            try {
                cuMemFree(p);
            } catch (CudaException e) {
                // the context is gone: nothing left to free
            }
        }
    }
}
