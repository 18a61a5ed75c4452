package dev.mipeaks.gpu;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * One CUDA device through the JCuda driver API (needs only libcuda.so.1): its primary context, properties, and
 * the kernel modules loaded on it (cubin for the device's SM when present, else PTX JIT-compiled by the driver).
 */
public final class CudaDevice implements AutoCloseable {
    private final int index;
    private final CUdevice device;
    private final CUcontext context;
    private final String name;
    private final int ccMajor;
    private final int ccMinor;
    private final int sms;
    private final int smemOptin;
    private final long totalMem;
    private final int driverVersion;
    private final Map<String, CUmodule> loaded = new HashMap<>();
    private final Map<String, String> loadedHow = new HashMap<>();

    private CudaDevice(int index) {
        this.index = index;
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        int[] count = new int[1];
        cuDeviceGetCount(count);
        if (index < 0 || index >= count[0]) {
            throw new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, "no CUDA device " + index + " (" + count[0] + " found)");
        }
        device = new CUdevice();
        cuDeviceGet(device, index);
        byte[] nb = new byte[256];
        cuDeviceGetName(nb, nb.length, device);
        int len = 0;
        while (len < nb.length && nb[len] != 0) {
            len++;
        }
        name = new String(nb, 0, len, StandardCharsets.UTF_8);
        ccMajor = attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        ccMinor = attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        sms = attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        smemOptin = attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
        long[] tm = new long[1];
        cuDeviceTotalMem(tm, device);
        totalMem = tm[0];
        int[] dv = new int[1];
        cuDriverGetVersion(dv);
        driverVersion = dv[0];
        context = new CUcontext();
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
    }

    /**
     * Opens device {@code index}. Failures (no driver, no device, JCuda natives missing) become
     * {@link MipeaksException}s with exit code 3 naming the reason.
     */
    public static CudaDevice open(int index) {
        try {
            return new CudaDevice(index);
        } catch (MipeaksException e) {
            throw e;
        } catch (CudaException | LinkageError | SecurityException e) {
            throw new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, "no CUDA device: " + reason(e), e);
        }
    }

    static String reason(Throwable e) {
        String msg = e.getMessage();
        if (msg != null) {
            msg = msg.lines().findFirst().orElse("");
        }
        return e.getClass().getSimpleName() + (msg == null || msg.isEmpty() ? "" : ": " + msg);
    }

    private int attr(int a) {
        int[] v = new int[1];
        cuDeviceGetAttribute(v, a, device);
        return v[0];
    }

    /** Makes this device's context current on the calling thread. */
    public void makeCurrent() {
        cuCtxSetCurrent(context);
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public int sm() {
        return ccMajor * 10 + ccMinor;
    }

    public int multiprocessors() {
        return sms;
    }

    public int sharedMemoryOptin() {
        return smemOptin;
    }

    public long totalMemory() {
        return totalMem;
    }

    public int driverVersion() {
        return driverVersion;
    }

    /** {free, total} bytes of device memory now. */
    public long[] memoryInfo() {
        makeCurrent();
        long[] f = new long[1];
        long[] t = new long[1];
        cuMemGetInfo(f, t);
        return new long[] {f[0], t[0]};
    }

    /** How the module holding {@code entry} was loaded ("cubin sm_90", "ptx"...), null before loading. */
    public String loadedHow(String module) {
        return loadedHow.get(module);
    }

    /**
     * The kernel function {@code entry}, loading its module on first use: the cubin for this SM when present,
     * else the PTX; a driver older than the PTX's ISA gets the PTX with its version line lowered to 8.0 (the
     * kernels use nothing newer), so a CUDA 12 driver can still JIT PTX written by nvcc 13.
     */
    public synchronized CUfunction function(KernelLibrary lib, String entry) {
        makeCurrent();
        KernelLibrary.Module mod = lib.moduleFor(entry);
        CUmodule cm = loaded.get(mod.source());
        if (cm == null) {
            cm = new CUmodule();
            byte[] cubin = mod.cubins().get(Integer.toString(sm()));
            String how = null;
            if (cubin != null) {
                try {
                    cuModuleLoadData(cm, cubin);
                    how = "cubin sm_" + sm();
                } catch (CudaException e) {
                    how = null;
                }
            }
            if (how == null) {
                try {
                    cuModuleLoadData(cm, nulTerminated(mod.ptx()));
                    how = "ptx (JIT)";
                } catch (CudaException e) {
                    if (!String.valueOf(e.getMessage()).contains(CUresult.stringFor(CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION))) {
                        throw e;
                    }
                    String lowered = mod.ptx().replaceFirst("(?m)^\\.version\\s+\\S+", ".version 8.0");
                    cuModuleLoadData(cm, nulTerminated(lowered));
                    how = "ptx (JIT, ISA lowered to 8.0 for this driver)";
                }
            }
            loaded.put(mod.source(), cm);
            loadedHow.put(mod.source(), how);
        }
        CUfunction f = new CUfunction();
        cuModuleGetFunction(f, cm, entry);
        return f;
    }

    private static byte[] nulTerminated(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            makeCurrent();
            for (CUmodule m : loaded.values()) {
                cuModuleUnload(m);
            }
            loaded.clear();
            cuDevicePrimaryCtxRelease(device);
        } catch (CudaException e) {
            // the context is going away anyway; nothing useful to do with a failure here
        }
    }

    @Override
    public String toString() {
        return "cuda:" + index + " " + name;
    }
}
