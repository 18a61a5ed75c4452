package dev.mipeaks.mi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RBF CKA (Kornblith et al.): per vector sigma^2 = median of the nonzero squared distances, K = exp(-d^2/(2 sigma^2)),
 * both-side centring: CKA = tr(HKH HLH) / sqrt(tr(HKH HKH) tr(HLH HLH)). With centred factors
 * tr(HKxH HKyH) = ||Bx^T By||_F^2. A constant vector (zero centred Gram) gives 0.
 */
public final class CkaRbf implements EstimatorProvider {

    static final EstimatorSpec SPEC = EstimatorSpec.of("cka-rbf",
            "RBF CKA, sigma^2 = median of nonzero squared distances per vector, exact via low-rank factors",
            List.of(new ParamSpec("tol", ParamSpec.Kind.POSITIVE_DOUBLE, "1e-14",
                "factor stops when residual trace <= tol*m")))
            .withGpu(new EstimatorSpec.GpuEntry("mipeaks_cka_rbf", true,
                    // per vector s^2 = median of the nonzero squared distances (a constant vector: any width, here 1)
                    p -> new KernelConfig(Double.NaN, 0.0, p.getDouble("tol"), v -> {
                        double s2 = PairwiseMedian.medianNonzeroSquared(v);
                        return s2 > 0 ? Math.sqrt(s2) : 1.0;
                    }),
                    CkaRbf::hostValue));

    @Override
    public EstimatorSpec spec() {
        return SPEC;
    }

    /** ||C||_F^2 / (||Gx||_F ||Gy||_F), 0 when a side is constant (cka_rbf.cu). */
    private static double hostValue(FactorPair f) {
        double gx = FactorPair.sumSq(f.gx());
        double gy = FactorPair.sumSq(f.gy());
        return gx > 0 && gy > 0 ? FactorPair.sumSq(f.cross()) / (Math.sqrt(gx) * Math.sqrt(gy)) : 0.0;
    }

    @Override
    public Estimator create(EstimatorParams params) {
        return new Impl(params.getDouble("tol"));
    }

    /** A constant vector has no factor (null) and rank 0. */
    record Side(int length, GaussianFactor factor, double selfNorm) implements Estimator.Prepared {

        @Override
        public int length() {
            return length;
        }

        @Override
        public int rank() {
            return factor == null ? 0 : factor.rank();
        }
    }

    static final class Impl implements Estimator {
        private final double tol;

        Impl(double tol) {
            this.tol = tol;
        }

        @Override
        public String name() {
            return "cka-rbf";
        }

        @Override
        public Map<String, Object> parameters() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("sigma", "median-nonzero");
            p.put("tol", tol);
            return p;
        }

        @Override
        public Side prepare(double[] v) {
            double med = PairwiseMedian.medianNonzeroSquared(v);
            if (med <= 0) {
                // constant vector: every Gram entry is 1, the centred Gram is 0
                return new Side(v.length, null, 0.0);
            }
            GaussianFactor f = GaussianFactor.of(v, Math.sqrt(med), tol * v.length);
            return new Side(v.length, f, Math.sqrt(GaussianFactor.frobeniusSquared(f.gram())));
        }

        @Override
        public Estimate estimate(Prepared px, Prepared py) {
            Side x = (Side) px;
            Side y = (Side) py;
            if (x.factor == null || y.factor == null || x.selfNorm == 0 || y.selfNorm == 0) {
                return new Estimate(0.0, x.rank(), y.rank());
            }
            double num = GaussianFactor.frobeniusSquared(GaussianFactor.cross(x.factor, y.factor));
            return new Estimate(num / (x.selfNorm * y.selfNorm), x.rank(), y.rank());
        }
    }
}
