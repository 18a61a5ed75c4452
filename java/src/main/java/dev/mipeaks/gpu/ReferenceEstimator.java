package dev.mipeaks.gpu;

import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The float64 host twin of the kernels in {@code kernels/} (same pivoted Cholesky, stop rule, centring and small
 * solves, written plainly). The GPU backend recomputes rank-overflow pairs with it when no registry estimator is
 * given, and tests compare the kernels with it.
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

    /** Lower L with L L^T = G + c I. */
    static double[][] cholesky(double[][] g, double c) {
        int r = g.length;
        double[][] l = new double[r][r];
        for (int j = 0; j < r; j++) {
            double s = g[j][j] + c;
            for (int q = 0; q < j; q++) {
                s -= l[j][q] * l[j][q];
            }
            l[j][j] = Math.sqrt(s);
            for (int i = j + 1; i < r; i++) {
                double t = g[i][j];
                for (int q = 0; q < j; q++) {
                    t -= l[i][q] * l[j][q];
                }
                l[i][j] = t / l[j][j];
            }
        }
        return l;
    }

    static double sumSq(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double v : row) {
                s += v * v;
            }
        }
        return s;
    }

    @Override
    public Estimate estimate(Prepared px, Prepared py) {
        Factor fx = (Factor) px;
        Factor fy = (Factor) py;
        int m = fx.length();
        if (!binding.lowRank()) {
            return Estimate.of(corr2(fx.v, fy.v));
        }
        double[][] c = gram(fx.b, fy.b);
        double value;
        switch (binding.estimator()) {
            case "hsic" -> value = sumSq(c) / ((double) m * m);
            case "cka-rbf" -> {
                double gx = sumSq(fx.g);
                double gy = sumSq(fy.g);
                value = gx > 0 && gy > 0 ? sumSq(c) / (Math.sqrt(gx) * Math.sqrt(gy)) : 0.0;
            }
            default -> value = whitened(c, cholesky(fx.g, cfg.eps() * m), cholesky(fy.g, cfg.eps() * m));
        }
        return new Estimate(value, fx.rank(), fy.rank());
    }

    /** ||Lx^-1 C Ly^-T||_F^2. */
    static double whitened(double[][] c, double[][] lx, double[][] ly) {
        int rx = lx.length;
        int ry = ly.length;
        double[][] z = new double[rx][ry];
        for (int b = 0; b < ry; b++) {
            for (int a = 0; a < rx; a++) {
                double v = c[a][b];
                for (int q = 0; q < a; q++) {
                    v -= lx[a][q] * z[q][b];
                }
                z[a][b] = v / lx[a][a];
            }
        }
        double s = 0;
        for (int a = 0; a < rx; a++) {
            for (int b = 0; b < ry; b++) {
                double v = z[a][b];
                for (int q = 0; q < b; q++) {
                    v -= ly[b][q] * z[a][q];
                }
                z[a][b] = v / ly[b][b];
                s += z[a][b] * z[a][b];
            }
        }
        return s;
    }

    static double corr2(double[] x, double[] y) {
        int m = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < m; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= m;
        my /= m;
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = 0; i < m; i++) {
            double u = x[i] - mx;
            double v = y[i] - my;
            xy += u * v;
            xx += u * u;
            yy += v * v;
        }
        return xx > 0 && yy > 0 ? xy * xy / (xx * yy) : 0.0;
    }
}
