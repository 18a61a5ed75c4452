package dev.mipeaks.mi;

import java.util.function.ToDoubleFunction;

/**
 * Resolved launch parameters of one estimator kernel (see {@link EstimatorSpec.GpuEntry#config}).
 *
 * @param sigma     fixed Gaussian kernel width (ignored where {@code rowSigma} is set)
 * @param eps       ridge: c = eps * m (0 where the kernel has no ridge)
 * @param tolFactor the pivoted Cholesky stops when the residual trace <= tolFactor * m
 * @param rowSigma  per-vector kernel width computed on the host (median heuristics), or null for {@code sigma}
 */
public record KernelConfig(double sigma, double eps, double tolFactor, ToDoubleFunction<double[]> rowSigma) {
    public double tolTrace(int m) {
        return tolFactor * m;
    }

    public double sigmaFor(double[] v) {
        return rowSigma == null ? sigma : rowSigma.applyAsDouble(v);
    }
}
