package dev.mipeaks.mi;

/**
 * One pair as the kernels' float64 host twin ({@code gpu.ReferenceEstimator}) hands it to an estimator's
 * {@link EstimatorSpec.HostValue}: the raw vectors and, for the low-rank kernels, the Grams of the centred factors
 * G = B^T B of each side and their cross product C = Bx^T By (r x r, null for the other kernels). The helpers are the
 * kernels' finishing steps written plainly.
 */
public record FactorPair(int m, double eps, double[] x, double[] y, double[][] gx, double[][] gy, double[][] cross) {

    /** Sum of the squares of every entry. */
    public static double sumSq(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double v : row) {
                s += v * v;
            }
        }
        return s;
    }

    /** ||Lx^-1 C Ly^-T||_F^2 with L L^T = G + eps m I on each side (nhsic). */
    public double whitenedSumSq() {
        double c = eps * m;
        double[][] lx = cholesky(gx, c);
        double[][] ly = cholesky(gy, c);
        int rx = lx.length;
        int ry = ly.length;
        double[][] z = new double[rx][ry];
        for (int b = 0; b < ry; b++) {
            for (int a = 0; a < rx; a++) {
                double v = cross[a][b];
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

    /** Squared Pearson correlation of the raw entries (0 for a constant side): linear CKA. */
    public double pearsonSquared() {
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
