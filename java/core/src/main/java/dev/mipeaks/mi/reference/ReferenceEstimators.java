package dev.mipeaks.mi.reference;

import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.EstimatorSpec;
import dev.mipeaks.mi.ParamSpec;
import dev.mipeaks.mi.Sigma;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;

/**
 * The dense references as registered estimators ({@code nhsic-ref}, {@code hsic-ref}, {@code cka-linear-ref},
 * {@code cka-rbf-ref}; the paper's float32 path {@code nhsic-paper-f32} is {@code mi.torch.NhsicPaperF32}), so that any result can be
 * re-checked from the command line. O(m^3): meant for m up to a few hundred, or patient users.
 */
public final class ReferenceEstimators {
    private ReferenceEstimators() {
    }

    public static final ParamSpec SIGMA = new ParamSpec("sigma", ParamSpec.Kind.SIGMA, "50",
            "Gaussian kernel width, or 'median' (the reference heuristic, per vector)");
    public static final ParamSpec EPS = new ParamSpec("eps", ParamSpec.Kind.POSITIVE_DOUBLE, "1e-5",
            "ridge: (Kc + eps*m*I)^-1");

    /** The raw vectors are the prepared state: the dense path has nothing to reuse. */
    record Raw(double[] v, double sigma) implements Estimator.Prepared {
        @Override
        public int length() {
            return v.length;
        }
    }

    /** A dense estimator: a name, its parameters and a function of the two raw vectors. */
    private abstract static class Dense implements Estimator {
        private final String name;
        private final Map<String, Object> params;
        private final Sigma sigma;

        Dense(String name, Map<String, Object> params, Sigma sigma) {
            this.name = name;
            this.params = params;
            this.sigma = sigma;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Map<String, Object> parameters() {
            return params;
        }

        @Override
        public Raw prepare(double[] v) {
            double s = sigma == null ? Double.NaN : (sigma.median() ? DenseReference.referenceSigma(v) : sigma.value());
            return new Raw(v.clone(), s);
        }

        @Override
        public Estimate estimate(Prepared x, Prepared y) {
            return Estimate.of(value((Raw) x, (Raw) y));
        }

        abstract double value(Raw x, Raw y);
    }

    /** A dense estimator from a function of the two raw vectors (for references that live elsewhere, e.g. mi.torch). */
    public static Estimator dense(String name, Map<String, Object> params, Sigma sigma,
            ToDoubleBiFunction<double[], double[]> value) {
        return new Dense(name, params, sigma) {
            @Override
            double value(Raw x, Raw y) {
                return value.applyAsDouble(x.v(), y.v());
            }
        };
    }

    /** A parameter map in the given order (name, value, name, value, ...). */
    public static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * A registered reference estimator: its spec (marked as a reference) from a name, a description and the
     * parameters; subclasses say how to {@link #create} it.
     */
    public abstract static class ReferenceProvider implements EstimatorProvider {
        private final EstimatorSpec spec;

        protected ReferenceProvider(String name, String description, List<ParamSpec> parameters) {
            this.spec = EstimatorSpec.of(name, description, parameters).asReference();
        }

        @Override
        public final EstimatorSpec spec() {
            return spec;
        }
    }

    public static final class NhsicRef extends ReferenceProvider {
        public NhsicRef() {
            super("nhsic-ref", "dense float64 reference of nhsic (m x m Grams and inverses; O(m^3))", List.of(SIGMA, EPS));
        }

        @Override
        public Estimator create(EstimatorParams p) {
            Sigma sigma = p.getSigma("sigma");
            double eps = p.getDouble("eps");
            return new Dense(name(), params("sigma", sigma.json(), "eps", eps), sigma) {
                @Override
                double value(Raw x, Raw y) {
                    return DenseReference.nhsic(x.v(), y.v(), x.sigma(), y.sigma(), eps);
                }
            };
        }
    }

    public static final class HsicRef extends ReferenceProvider {
        public HsicRef() {
            super("hsic-ref", "dense float64 reference of hsic (biased, mean(KxH * (KyH)^T))", List.of(SIGMA));
        }

        @Override
        public Estimator create(EstimatorParams p) {
            Sigma sigma = p.getSigma("sigma");
            return new Dense(name(), params("sigma", sigma.json()), sigma) {
                @Override
                double value(Raw x, Raw y) {
                    return DenseReference.hsic(x.v(), y.v(), x.sigma(), y.sigma());
                }
            };
        }
    }

    public static final class CkaLinearRef extends ReferenceProvider {
        public CkaLinearRef() {
            super("cka-linear-ref", "dense float64 reference of linear CKA (m x m Grams)", List.of());
        }

        @Override
        public Estimator create(EstimatorParams p) {
            return dense(name(), Map.of(), null, DenseReference::ckaLinear);
        }
    }

    public static final class CkaRbfRef extends ReferenceProvider {
        public CkaRbfRef() {
            super("cka-rbf-ref", "dense float64 reference of RBF CKA (sorted distance list for the median)", List.of());
        }

        @Override
        public Estimator create(EstimatorParams p) {
            return dense(name(), params("sigma", "median-nonzero"), null, DenseReference::ckaRbf);
        }
    }
}
