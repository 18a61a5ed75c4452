package dev.mipeaks.mi;

/**
 * A low-rank factor of the Gaussian Gram matrix of a vector's entries, K_ij = exp(-(x_i - x_j)^2 / (2 sigma^2)),
 * computed by pivoted Cholesky with columns generated on the fly (the m x m matrix is never formed), stored
 * centred: B = H A with K ~= A A^T and H = I - 11^T/m.
 *
 * <p>Why this is exact enough: the Gram of 1-D samples at sigma 50 has a tiny numerical rank (hidden-state entries
 * span a few units plus a handful of outliers, each cluster adding a few ranks), and the greedy pivot choice makes
 * the residual K - A A^T positive semi-definite with trace equal to the sum of the residual diagonal, which is
 * driven below a caller-chosen tolerance. The rank adapts up to m: high-rank inputs get slower, never wrong.
 *
 * <p>Layout: {@code b[k * m + i]} is entry i of centred column k (column-major in k, so each column is contiguous).
 */
public final class GaussianFactor {
    /** Residual diagonal entries below this are rounding noise of 1 - sum(a^2): nothing left to factor. */
    static final double NOISE_FLOOR = 64 * Math.ulp(1.0);

    private final int m;
    private final int rank;
    private final double[] b;
    private final double sigma;

    private GaussianFactor(int m, int rank, double[] b, double sigma) {
        this.m = m;
        this.rank = rank;
        this.b = b;
        this.sigma = sigma;
    }

    public int length() {
        return m;
    }

    public int rank() {
        return rank;
    }

    public double sigma() {
        return sigma;
    }

    /** Centred factor columns, {@code rank * m} entries, column k at offset k*m. Do not modify. */
    double[] centred() {
        return b;
    }

    /**
     * Factors the Gram of {@code x} (finite, length >= 2) at width {@code sigma}, stopping when the trace of the
     * residual is at most {@code traceTol}.
     */
    public static GaussianFactor of(double[] x, double sigma, double traceTol) {
        int m = x.length;
        double scale = 1.0 / (2.0 * sigma * sigma);
        // beyond this squared distance exp() underflows to exactly 0 in double
        double cutoff = 746.0 / scale;
        double[] d = new double[m];
        java.util.Arrays.fill(d, 1.0);
        double trace = m;
        int p = 0; // all diagonal entries are 1: the first pivot is arbitrary
        double[] cols = new double[Math.min(m, 16) * m];
        int k = 0;
        while (k < m) {
            double dp = d[p];
            if (trace <= traceTol || dp <= NOISE_FLOOR) {
                break;
            }
            if ((k + 1) * m > cols.length) {
                cols = java.util.Arrays.copyOf(cols, Math.min(m, 2 * (k + 1)) * m);
            }
            int off = k * m;
            double xp = x[p];
            // kernel column K(:, p)
            for (int i = 0; i < m; i++) {
                double diff = x[i] - xp;
                double sq = diff * diff;
                cols[off + i] = sq > cutoff ? 0.0 : Math.exp(-sq * scale);
            }
            // minus the part already explained by previous columns
            for (int j = 0; j < k; j++) {
                int oj = j * m;
                double f = cols[oj + p];
                if (f != 0.0) {
                    for (int i = 0; i < m; i++) {
                        cols[off + i] -= cols[oj + i] * f;
                    }
                }
            }
            double piv = Math.sqrt(dp);
            double inv = 1.0 / piv;
            trace = 0;
            double best = -1;
            int next = 0;
            for (int i = 0; i < m; i++) {
                double a = cols[off + i] * inv;
                cols[off + i] = a;
                double di = d[i] - a * a;
                if (di < 0) {
                    di = 0;
                }
                d[i] = di;
                trace += di;
                if (di > best) {
                    best = di;
                    next = i;
                }
            }
            cols[off + p] = piv;
            trace -= d[p];
            d[p] = 0;
            if (next == p) {
                best = -1;
                for (int i = 0; i < m; i++) {
                    if (d[i] > best) {
                        best = d[i];
                        next = i;
                    }
                }
            }
            p = next;
            k++;
        }
        // centre each column: B = H A
        double[] b = java.util.Arrays.copyOf(cols, k * m);
        for (int j = 0; j < k; j++) {
            int oj = j * m;
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += b[oj + i];
            }
            double mean = s / m;
            for (int i = 0; i < m; i++) {
                b[oj + i] -= mean;
            }
        }
        return new GaussianFactor(m, k, b, sigma);
    }

    /** G = B^T B, {@code rank x rank} row-major. */
    double[] gram() {
        double[] g = new double[rank * rank];
        for (int a = 0; a < rank; a++) {
            for (int c = 0; c <= a; c++) {
                double v = dot(b, a * m, b, c * m, m);
                g[a * rank + c] = v;
                g[c * rank + a] = v;
            }
        }
        return g;
    }

    /**
     * C = Bx^T By, {@code x.rank x y.rank} row-major. Four columns of By are dotted with one column of Bx per pass,
     * so each Bx column is read once per four outputs and the four sums are independent (instruction-level
     * parallelism the JIT will not create by reordering a single floating-point sum).
     */
    static double[] cross(GaussianFactor x, GaussianFactor y) {
        int m = x.m;
        int rx = x.rank;
        int ry = y.rank;
        double[] bx = x.b;
        double[] by = y.b;
        double[] c = new double[rx * ry];
        for (int a = 0; a < rx; a++) {
            int xo = a * m;
            int e = 0;
            for (; e + 3 < ry; e += 4) {
                int y0 = e * m;
                int y1 = y0 + m;
                int y2 = y1 + m;
                int y3 = y2 + m;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int i = 0; i < m; i++) {
                    double v = bx[xo + i];
                    s0 += v * by[y0 + i];
                    s1 += v * by[y1 + i];
                    s2 += v * by[y2 + i];
                    s3 += v * by[y3 + i];
                }
                c[a * ry + e] = s0;
                c[a * ry + e + 1] = s1;
                c[a * ry + e + 2] = s2;
                c[a * ry + e + 3] = s3;
            }
            for (; e < ry; e++) {
                c[a * ry + e] = dot(bx, xo, by, e * m, m);
            }
        }
        return c;
    }

    /** Dot product with four independent accumulators (the JIT does not reorder floating-point sums itself). */
    static double dot(double[] u, int uo, double[] v, int vo, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += u[uo + i] * v[vo + i];
            s1 += u[uo + i + 1] * v[vo + i + 1];
            s2 += u[uo + i + 2] * v[vo + i + 2];
            s3 += u[uo + i + 3] * v[vo + i + 3];
        }
        for (; i < n; i++) {
            s0 += u[uo + i] * v[vo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double frobeniusSquared(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return s;
    }
}
