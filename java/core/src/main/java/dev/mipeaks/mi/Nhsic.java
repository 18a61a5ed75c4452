package dev.mipeaks.mi;

import java.util.List;
import java.util.Map;

/**
 * The paper's normalized HSIC, computed exactly through low-rank Gram factors.
 *
 * <p>Definition (reference code): Kc = K H (right-centred only), R = Kc (Kc + eps m I)^-1, value = sum(Rx * Ry^T)
 * = trace(Rx Ry). With K ~= A A^T and B = H A, the push-through identity gives
 * K H (K H + cI)^-1 = A (B^T A + cI)^-1 B^T, and B^T A = B^T B since B^T 1 = 0. With G = B^T B + cI = L L^T and
 * C = Bx^T By, the value is ||Lx^-1 C Ly^-T||_F^2: O(m r^2) per pair instead of O(m^3).
 *
 * <p>Accuracy: the factor stops when the residual trace is below {@code tol * eps * m}; since the value's
 * sensitivity to K is about 1/(eps m), the error is about tol (measured ~1e-10 relative on the parity cases).
 */
public final class Nhsic implements EstimatorProvider {

    static final EstimatorSpec SPEC = EstimatorSpec.of("nhsic",
            "the paper's normalized HSIC (Gaussian kernel, right-centred Gram, ridge eps*m), exact via low-rank factors",
            List.of(
                new ParamSpec("sigma", ParamSpec.Kind.SIGMA, "50", "Gaussian kernel width, or 'median' (the reference heuristic, per vector)"),
                new ParamSpec("eps", ParamSpec.Kind.POSITIVE_DOUBLE, "1e-5", "ridge: (Kc + eps*m*I)^-1"),
                new ParamSpec("tol", ParamSpec.Kind.POSITIVE_DOUBLE, "1e-10", "factor stops when residual trace <= tol*eps*m (value error ~ tol)")))
            .withGpu(new EstimatorSpec.GpuEntry("mipeaks_nhsic", true,
                    p -> p.getSigma("sigma").kernelConfig(p.getDouble("eps"), p.getDouble("tol") * p.getDouble("eps")),
                    FactorPair::whitenedSumSq));

    @Override
    public EstimatorSpec spec() {
        return SPEC;
    }

    @Override
    public Estimator create(EstimatorParams params) {
        return new Impl(params.getSigma("sigma"), params.getDouble("eps"), params.getDouble("tol"), params.json());
    }

    /** Prepared side: centred factor plus the Cholesky factor of B^T B + cI. */
    record Side(GaussianFactor factor, double[] chol) implements FactorSide {
    }

    record Impl(Sigma sigma, double eps, double tol, Map<String, Object> parameters) implements Estimator {
        @Override
        public String name() {
            return "nhsic";
        }

        @Override
        public Side prepare(double[] v) {
            int m = v.length;
            double c = eps * m;
            GaussianFactor f = GaussianFactor.of(v, sigma.resolve(v), tol * c);
            double[] g = f.gram();
            int r = f.rank();
            for (int i = 0; i < r; i++) {
                g[i * r + i] += c;
            }
            SmallLinalg.cholesky(g, r);
            return new Side(f, g);
        }

        @Override
        public Estimate estimate(Prepared px, Prepared py) {
            Side x = (Side) px;
            Side y = (Side) py;
            int rx = x.factor.rank();
            int ry = y.factor.rank();
            double[] w = GaussianFactor.cross(x.factor, y.factor); // rx x ry
            SmallLinalg.forwardSolveRows(x.chol, rx, w, ry);      // Lx^-1 C
            SmallLinalg.solveRightTranspose(y.chol, ry, w, rx);   // (Lx^-1 C) Ly^-T
            return new Estimate(GaussianFactor.frobeniusSquared(w), rx, ry);
        }
    }
}
