package dev.mipeaks.mi;

import java.util.List;
import java.util.Map;

/**
 * Linear CKA with the m entries as samples of a 1-D feature: K = x x^T, so tr(HKH HLH) = (xc . yc)^2 and CKA is the
 * squared Pearson correlation, computed in O(m). A constant vector gives 0.
 */
public final class CkaLinear implements EstimatorProvider {

    static final EstimatorSpec SPEC = EstimatorSpec.of("cka-linear",
            "linear CKA (samples = vector entries), closed form: squared Pearson correlation", List.of())
            .withGpu(new EstimatorSpec.GpuEntry("mipeaks_cka_linear", false,
                    p -> new KernelConfig(1.0, 0.0, 0.0, null), FactorPair::pearsonSquared));

    @Override
    public EstimatorSpec spec() {
        return SPEC;
    }

    @Override
    public Estimator create(EstimatorParams params) {
        return new Impl();
    }

    /** Centred vector and its squared norm. */
    record Side(double[] centred, double norm2) implements Estimator.Prepared {
        @Override
        public int length() {
            return centred.length;
        }
    }

    static final class Impl implements Estimator {
        @Override
        public String name() {
            return "cka-linear";
        }

        @Override
        public Map<String, Object> parameters() {
            return Map.of();
        }

        @Override
        public Side prepare(double[] v) {
            double mean = 0;
            for (double d : v) {
                mean += d;
            }
            mean /= v.length;
            double[] c = new double[v.length];
            double n2 = 0;
            for (int i = 0; i < v.length; i++) {
                c[i] = v[i] - mean;
                n2 += c[i] * c[i];
            }
            return new Side(c, n2);
        }

        @Override
        public Estimate estimate(Prepared px, Prepared py) {
            Side x = (Side) px;
            Side y = (Side) py;
            if (x.norm2 == 0 || y.norm2 == 0) {
                return Estimate.of(0.0);
            }
            double d = GaussianFactor.dot(x.centred, y.centred);
            return Estimate.of(d * d / (x.norm2 * y.norm2));
        }
    }
}
