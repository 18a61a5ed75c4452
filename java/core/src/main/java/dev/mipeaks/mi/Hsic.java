package dev.mipeaks.mi;

import java.util.List;
import java.util.Map;

/**
 * Biased HSIC of the reference code: mean(KxH * (KyH)^T) = trace(KxH KyH) / m^2, which with the centred factors is
 * ||Bx^T By||_F^2 / m^2.
 */
public final class Hsic implements EstimatorProvider {

    static final EstimatorSpec SPEC = EstimatorSpec.of("hsic",
            "biased HSIC, mean(KxH * (KyH)^T), Gaussian kernel, exact via low-rank factors",
            List.of(
                new ParamSpec("sigma", ParamSpec.Kind.SIGMA, "50", "Gaussian kernel width, or 'median' (the reference heuristic, per vector)"),
                new ParamSpec("tol", ParamSpec.Kind.POSITIVE_DOUBLE, "1e-13", "factor stops when residual trace <= tol*m")))
            .withGpu(new EstimatorSpec.GpuEntry("mipeaks_hsic", true,
                    p -> p.getSigma("sigma").kernelConfig(0.0, p.getDouble("tol")),
                    f -> FactorPair.sumSq(f.cross()) / ((double) f.m() * f.m())));

    @Override
    public EstimatorSpec spec() {
        return SPEC;
    }

    @Override
    public Estimator create(EstimatorParams params) {
        return new Impl(params.getSigma("sigma"), params.getDouble("tol"), params.json());
    }

    record Side(GaussianFactor factor) implements FactorSide {
    }

    record Impl(Sigma sigma, double tol, Map<String, Object> parameters) implements Estimator {
        @Override
        public String name() {
            return "hsic";
        }

        @Override
        public Side prepare(double[] v) {
            return new Side(GaussianFactor.of(v, sigma.resolve(v), tol * v.length));
        }

        @Override
        public Estimate estimate(Prepared px, Prepared py) {
            GaussianFactor x = ((Side) px).factor;
            GaussianFactor y = ((Side) py).factor;
            double m = x.length();
            double s = GaussianFactor.frobeniusSquared(GaussianFactor.cross(x, y));
            return new Estimate(s / (m * m), x.rank(), y.rank());
        }
    }
}
