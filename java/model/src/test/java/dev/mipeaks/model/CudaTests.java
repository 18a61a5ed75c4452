package dev.mipeaks.model;

import static org.bytedeco.pytorch.global.torch.cuda_is_available;

import org.junit.jupiter.api.Assumptions;

/** The GPU test classes' precondition: a CUDA device LibTorch sees, or {@code -Dmipeaks.test.cuda=cpu} (a dry run). */
final class CudaTests {
    private CudaTests() {
    }

    /** Skips the calling class (with the reason printed) unless {@code device} is "cpu" or LibTorch sees CUDA. */
    static void assumeCuda(String device, String testClass) {
        NativeRuntime.loadTorch();
        boolean ok = device.equals("cpu") || cuda_is_available();
        if (!ok) {
            System.out.println("SKIP " + testClass + ": LibTorch sees no CUDA device (CPU natives or no GPU)");
        }
        Assumptions.assumeTrue(ok, "LibTorch sees no CUDA device");
    }
}
