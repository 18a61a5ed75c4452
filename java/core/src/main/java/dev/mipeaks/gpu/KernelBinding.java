package dev.mipeaks.gpu;

import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.EstimatorSpec;
import dev.mipeaks.mi.KernelConfig;

/**
 * A registry estimator bound to its CUDA kernels: the entry points {@code entryBase() + "_f32"} and
 * {@code entryBase() + "_bf16"} with the ABI of {@code kernels/mipeaks_abi.h}, as its {@link EstimatorSpec.GpuEntry}
 * declares them. A new GPU estimator is one {@code kernels/NAME.cu} plus one estimator class whose spec names the
 * family.
 */
public record KernelBinding(String estimator, EstimatorSpec.GpuEntry entry) {

    /** The binding an estimator's spec declares, if it has kernels. */
    public static java.util.Optional<KernelBinding> of(EstimatorSpec spec) {
        return spec.gpu().map(g -> new KernelBinding(spec.name(), g));
    }

    /** Entry point prefix, e.g. {@code mipeaks_nhsic}. */
    public String entryBase() {
        return entry.family();
    }

    /** True for kernels built on {@code lowrank.cuh} (they need dynamic shared memory and scratch). */
    public boolean lowRank() {
        return entry.lowRank();
    }

    /** Launch parameters from the estimator's parsed parameters (defaults filled in by the spec). */
    public KernelConfig config(EstimatorParams params) {
        return entry.config().apply(params);
    }
}
