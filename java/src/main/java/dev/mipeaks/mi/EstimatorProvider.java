package dev.mipeaks.mi;

import java.util.List;
import java.util.Optional;

/**
 * The plug-in point for estimators: one class per estimator, listed in
 * {@code META-INF/services/dev.mipeaks.mi.EstimatorProvider}. Adding an estimator touches no existing class.
 */
public interface EstimatorProvider {

    /** Registry name used on the command line ({@code --estimator NAME}). */
    String name();

    /** One line for {@code mipeaks estimators}. */
    String description();

    /** Declared parameters with defaults. */
    List<ParamSpec> parameters();

    /** A configured estimator (parameters already validated against {@link #parameters()}). */
    Estimator create(EstimatorParams params);

    /**
     * The CUDA entry point (an {@code extern "C"} kernel in the PTX built from {@code kernels/}) that computes this
     * estimator on the GPU, if one exists.
     */
    default Optional<String> gpuKernel() {
        return Optional.empty();
    }

    /** True for the slow dense references kept beside the fast estimators. */
    default boolean isReference() {
        return false;
    }
}
