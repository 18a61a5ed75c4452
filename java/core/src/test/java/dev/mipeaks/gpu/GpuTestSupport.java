package dev.mipeaks.gpu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Probes JCuda once; GPU tests skip with "SKIP: no CUDA device: reason" when there is none. */
final class GpuTestSupport {
    private static String reason;
    private static boolean probed;

    private GpuTestSupport() {
    }

    static synchronized String noDeviceReason() {
        if (!probed) {
            probed = true;
            try (CudaDevice d = CudaDevice.open(0)) {
                reason = null;
            } catch (Throwable t) {
                reason = t.getMessage() == null ? t.toString() : t.getMessage();
            }
        }
        return reason;
    }

    static void requireDevice() {
        String r = noDeviceReason();
        if (r != null) {
            System.out.println("SKIP: " + (r.startsWith("no CUDA device") ? r : "no CUDA device: " + r));
        }
        assumeTrue(r == null, "no CUDA device: " + r);
    }

    static KernelLibrary requireKernels() {
        KernelLibrary lib = KernelLibrary.load();
        if (!lib.isBuilt()) {
            System.out.println("SKIP: kernels not built: " + String.join("; ", lib.problems()));
        }
        assumeTrue(lib.isBuilt(), "kernels not built");
        return lib;
    }
}
