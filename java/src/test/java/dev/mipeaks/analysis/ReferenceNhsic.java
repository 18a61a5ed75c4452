package dev.mipeaks.analysis;

import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import java.util.Map;

/**
 * Test-only, dense and obviously direct normalized HSIC of the paper (what mi_expected.json defines as
 * nhsic_sigma50): K_ij = exp(-(v_i - v_j)^2 / (2 sigma^2)), Kc = K H (right-centred), R = Kc (Kc + eps m I)^-1,
 * value = sum(Rx * Ry^T) = trace(Rx Ry). Checked against the shared pipeline golden in {@link SigmaSweepTest}; it
 * lets the analysis tests run before the production estimators are merged.
 */
final class ReferenceNhsic implements Estimator {
    private final double sigma;
    private final double eps;

    ReferenceNhsic(double sigma, double eps) {
        this.sigma = sigma;
        this.eps = eps;
    }

    @Override
    public String name() {
        return "reference-nhsic";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("sigma", sigma, "eps", eps);
    }

    private record R(double[][] r) implements Prepared {
        @Override
        public int length() {
            return r.length;
        }
    }

    @Override
    public Prepared prepare(double[] v) {
        int m = v.length;
        double[][] k = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double d = v[i] - v[j];
                // K - 1 via expm1: centring removes the constant (J H = 0) and entries near 1 keep their precision
                k[i][j] = Math.expm1(-d * d / (2 * sigma * sigma));
            }
        }
        double[][] kc = new double[m][m];
        for (int i = 0; i < m; i++) {
            double rowMean = 0;
            for (int j = 0; j < m; j++) {
                rowMean += k[i][j];
            }
            rowMean /= m;
            for (int j = 0; j < m; j++) {
                kc[i][j] = k[i][j] - rowMean;
            }
        }
        double[][] a = new double[m][m];
        for (int i = 0; i < m; i++) {
            a[i] = kc[i].clone();
            a[i][i] += eps * m;
        }
        // Kc and A = Kc + eps m I commute, so R = Kc A^-1 = A^-1 Kc: solve A R = Kc by LU with partial pivoting
        double[][] r = solve(a, kc);
        return new R(r);
    }

    @Override
    public Estimate estimate(Prepared x, Prepared y) {
        double[][] rx = ((R) x).r;
        double[][] ry = ((R) y).r;
        double s = 0;
        for (int i = 0; i < rx.length; i++) {
            for (int j = 0; j < rx.length; j++) {
                s += rx[i][j] * ry[j][i];
            }
        }
        return Estimate.of(s);
    }

    /** X with A X = B (A, B n x n; not modified): LU decomposition with partial pivoting, then substitution. */
    static double[][] solve(double[][] a0, double[][] b0) {
        int n = a0.length;
        double[][] a = new double[n][];
        double[][] b = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
            b[i] = b0[i].clone();
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            t = b[c];
            b[c] = b[p];
            b[p] = t;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                if (f == 0) {
                    continue;
                }
                for (int j = c; j < n; j++) {
                    a[r][j] -= f * a[c][j];
                }
                for (int j = 0; j < n; j++) {
                    b[r][j] -= f * b[c][j];
                }
            }
        }
        double[][] x = new double[n][n];
        for (int r = n - 1; r >= 0; r--) {
            for (int j = 0; j < n; j++) {
                double s = b[r][j];
                for (int k = r + 1; k < n; k++) {
                    s -= a[r][k] * x[k][j];
                }
                x[r][j] = s / a[r][r];
            }
        }
        return x;
    }
}
