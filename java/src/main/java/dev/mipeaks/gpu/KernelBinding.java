package dev.mipeaks.gpu;

import dev.mipeaks.mi.EstimatorParams;

/**
 * Binds a registry estimator to its CUDA kernels: the entry points {@code entryBase() + "_f32"} and
 * {@code entryBase() + "_bf16"} with the ABI of {@code kernels/mipeaks_abi.h}. A new GPU estimator is one
 * {@code kernels/NAME.cu} plus one implementation of this interface, listed in
 * {@code META-INF/services/dev.mipeaks.gpu.KernelBinding}.
 */
public interface KernelBinding {
    /** Registry name of the estimator, e.g. {@code nhsic}. */
    String estimator();

    /** Entry point prefix, e.g. {@code mipeaks_nhsic}. */
    String entryBase();

    /** True for kernels built on {@code lowrank.cuh} (they need dynamic shared memory and scratch). */
    boolean lowRank();

    /** Launch parameters from the estimator's parsed parameters. */
    KernelConfig config(EstimatorParams params);
}
