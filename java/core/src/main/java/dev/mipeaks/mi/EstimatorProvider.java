package dev.mipeaks.mi;

import java.util.List;
import java.util.Optional;

/**
 * The plug-in point for estimators: one class per estimator, listed in
 * {@code META-INF/services/dev.mipeaks.mi.EstimatorProvider}. Adding an estimator touches no existing class: its
 * {@link EstimatorSpec} declares the name, parameters with defaults and GPU entry family, {@link #create} builds it.
 */
public interface EstimatorProvider {

    /** Everything the estimator declares (read by the registry, the CLI and the GPU bindings). */
    EstimatorSpec spec();

    /** A configured estimator (parameters already validated against the spec's parameters). */
    Estimator create(EstimatorParams params);

    /** Registry name used on the command line ({@code --estimator NAME}). */
    default String name() {
        return spec().name();
    }

    /** One line for {@code mipeaks estimators}. */
    default String description() {
        return spec().description();
    }

    /** Declared parameters with defaults. */
    default List<ParamSpec> parameters() {
        return spec().parameters();
    }

    /** The CUDA entry family (an {@code extern "C"} kernel prefix in the PTX built from {@code kernels/}), if any. */
    default Optional<String> gpuKernel() {
        return spec().gpu().map(EstimatorSpec.GpuEntry::family);
    }

    /** True for the slow dense references kept beside the fast estimators. */
    default boolean isReference() {
        return spec().reference();
    }
}
