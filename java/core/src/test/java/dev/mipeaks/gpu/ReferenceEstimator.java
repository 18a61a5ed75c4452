package dev.mipeaks.gpu;

import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.FactorPair;
import dev.mipeaks.mi.KernelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The float64 host twin of the kernels in {@code kernels/} (same pivoted Cholesky, stop rule, centring and small
 * solves, written plainly); the value of a pair is the finishing step its estimator's spec declares
 * ({@link dev.mipeaks.mi.EstimatorSpec.GpuEntry#value}). Tests compare the kernels with it.
 */
public final class ReferenceEstimator implements Estimator {
    static final double DMIN = 64 * 0x1p-52;
    private final KernelBinding binding;
    private final KernelConfig cfg;

    public ReferenceEstimator(KernelBinding binding, KernelConfig cfg) {
        this.binding = binding;
        this.cfg = cfg;
    }

    @Override
    public String name() {
        return binding.estimator();
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        if (binding.lowRank() && cfg.rowSigma() == null) {
            p.put("sigma", cfg.sigma());
        }
        p.put("eps", cfg.eps());
        return p;
    }

    /** Centred factor B (r columns of length m), its Gram G = B^T B, and the raw vector. */
    record Factor(double[] v, double[][] b, double[][] g) implements Prepared {
        @Override
        public int length() {
            return v.length;
        }

        @Override
        public int rank() {
            return b == null ? -1 : b.length;
        }
    }

    @Override
    public Prepared prepare(double[] v) {
        if (!binding.lowRank()) {
            return new Factor(v.clone(), null, null);
        }
        double[][] b = factor(v, cfg.sigmaFor(v), cfg.tolTrace(v.length), v.length);
        return new Factor(v.clone(), b, gram(b, b));
    }

    /** Pivoted Cholesky of the Gaussian Gram, centred columns; at most rmax columns (null when more are needed). */
    static double[][] factor(double[] x, double sigma, double tol, int rmax) {
        int m = x.length;
        double[] d = new double[m];
        java.util.Arrays.fill(d, 1.0);
        double[][] a = new double[Math.min(rmax, m)][];
        int k = 0;
        while (true) {
            int p = 0;
            double sum = 0;
            for (int i = 0; i < m; i++) {
                sum += d[i];
                if (d[i] > d[p]) {
                    p = i;
                }
            }
            if (sum <= tol || d[p] <= DMIN || k == m) {
                break;
            }
            if (k == rmax) {
                return null;
            }
            double piv = Math.sqrt(d[p]);
            double[] col = new double[m];
            for (int i = 0; i < m; i++) {
                double dx = x[i] - x[p];
                double s = Math.exp(-(dx * dx) / (2 * sigma * sigma));
                for (int j = 0; j < k; j++) {
                    s -= a[j][i] * a[j][p];
                }
                col[i] = i == p ? piv : s / piv;
            }
            for (int i = 0; i < m; i++) {
                d[i] = i == p ? 0 : Math.max(d[i] - col[i] * col[i], 0.0);
            }
            a[k++] = col;
        }
        double[][] b = new double[k][];
        for (int j = 0; j < k; j++) {
            double mu = 0;
            for (double v : a[j]) {
                mu += v;
            }
            mu /= m;
            b[j] = new double[m];
            for (int i = 0; i < m; i++) {
                b[j][i] = a[j][i] - mu;
            }
        }
        return b;
    }

    static double[][] gram(double[][] x, double[][] y) {
        double[][] g = new double[x.length][y.length];
        for (int a = 0; a < x.length; a++) {
            for (int c = 0; c < y.length; c++) {
                double s = 0;
                for (int i = 0; i < x[a].length; i++) {
                    s += x[a][i] * y[c][i];
                }
                g[a][c] = s;
            }
        }
        return g;
    }

    @Override
    public Estimate estimate(Prepared px, Prepared py) {
        Factor fx = (Factor) px;
        Factor fy = (Factor) py;
        FactorPair pair = binding.lowRank()
                ? new FactorPair(fx.length(), cfg.eps(), fx.v, fy.v, fx.g, fy.g, gram(fx.b, fy.b))
                : new FactorPair(fx.length(), cfg.eps(), fx.v, fy.v, null, null, null);
        double value = binding.entry().value().of(pair);
        return binding.lowRank() ? new Estimate(value, fx.rank(), fy.rank()) : Estimate.of(value);
    }
}
