package dev.mipeaks.gpu;

import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.PairwiseMedian;
import dev.mipeaks.mi.Sigma;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The built-in kernel bindings and any listed through {@link ServiceLoader}. */
public final class KernelBindings {
    /** Defaults of the CPU engine's parameters (dev.mipeaks.mi.Nhsic, Hsic, CkaRbf). */
    static final double DEFAULT_EPS = 1e-5;
    static final double NHSIC_TOL = 1e-10;   // residual trace <= tol * eps * m
    static final double HSIC_TOL = 1e-13;    // residual trace <= tol * m
    static final double CKA_RBF_TOL = 1e-14; // residual trace <= tol * m

    private KernelBindings() {
    }

    public static Map<String, KernelBinding> all() {
        Map<String, KernelBinding> m = new LinkedHashMap<>();
        for (KernelBinding b : new KernelBinding[] {
                new Gaussian("nhsic", "mipeaks_nhsic"), new Gaussian("hsic", "mipeaks_hsic"),
                new CkaRbf(), new CkaLinear()}) {
            m.put(b.estimator(), b);
        }
        for (KernelBinding b : ServiceLoader.load(KernelBinding.class, KernelBindings.class.getClassLoader())) {
            m.putIfAbsent(b.estimator(), b);
        }
        return m;
    }

    public static Optional<KernelBinding> forEstimator(String name) {
        return Optional.ofNullable(all().get(name));
    }

    /** Strips a dtype suffix: providers may name either the family or one of its entry points. */
    public static String entryBase(String gpuKernel) {
        if (gpuKernel.endsWith("_f32")) {
            return gpuKernel.substring(0, gpuKernel.length() - 4);
        }
        if (gpuKernel.endsWith("_bf16")) {
            return gpuKernel.substring(0, gpuKernel.length() - 5);
        }
        return gpuKernel;
    }

    static double doubleParam(EstimatorParams p, String name, double dflt) {
        return p != null && p.values().containsKey(name) ? p.getDouble(name) : dflt;
    }

    static Sigma sigmaParam(EstimatorParams p) {
        if (p == null || !p.values().containsKey("sigma")) {
            return Sigma.fixed(50.0);
        }
        Object v = p.values().get("sigma");
        return v instanceof Sigma s ? s : Sigma.fixed(((Number) v).doubleValue());
    }

    /** nhsic and hsic: Gaussian kernel of width sigma (or the reference median heuristic), ridge eps, tol. */
    record Gaussian(String estimator, String entryBase) implements KernelBinding {
        @Override
        public boolean lowRank() {
            return true;
        }

        @Override
        public KernelConfig config(EstimatorParams params) {
            Sigma s = sigmaParam(params);
            double eps = doubleParam(params, "eps", DEFAULT_EPS);
            boolean nhsic = estimator.equals("nhsic");
            double tolFactor = nhsic ? doubleParam(params, "tol", NHSIC_TOL) * eps : doubleParam(params, "tol", HSIC_TOL);
            return new KernelConfig(s.median() ? Double.NaN : s.value(), eps, tolFactor,
                    s.median() ? PairwiseMedian::referenceSigma : null);
        }
    }

    /** cka-rbf: s^2 = median of the nonzero squared distances per vector (constant vector: any width, here 1). */
    record CkaRbf() implements KernelBinding {
        @Override
        public String estimator() {
            return "cka-rbf";
        }

        @Override
        public String entryBase() {
            return "mipeaks_cka_rbf";
        }

        @Override
        public boolean lowRank() {
            return true;
        }

        @Override
        public KernelConfig config(EstimatorParams params) {
            return new KernelConfig(Double.NaN, DEFAULT_EPS, doubleParam(params, "tol", CKA_RBF_TOL), v -> {
                double s2 = PairwiseMedian.medianNonzeroSquared(v);
                return s2 > 0 ? Math.sqrt(s2) : 1.0;
            });
        }
    }

    /** cka-linear: squared Pearson correlation of the entries. */
    record CkaLinear() implements KernelBinding {
        @Override
        public String estimator() {
            return "cka-linear";
        }

        @Override
        public String entryBase() {
            return "mipeaks_cka_linear";
        }

        @Override
        public boolean lowRank() {
            return false;
        }

        @Override
        public KernelConfig config(EstimatorParams params) {
            return new KernelConfig(1.0, DEFAULT_EPS, 0.0, null);
        }
    }
}
