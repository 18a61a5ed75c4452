package dev.mipeaks.mi;

import java.util.Arrays;

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
 * <p>Layout: one array per centred column. Separate arrays (rather than offsets into one) let the JIT vectorise the
 * column updates, which it will not do when two offsets into the same array might overlap.
 */
public final class GaussianFactor {
    /** Residual diagonal entries below this are rounding noise of 1 - sum(a^2): nothing left to factor. */
    static final double NOISE_FLOOR = 64 * Math.ulp(1.0);

    private final int m;
    private final double[][] b;
    private final double sigma;

    private GaussianFactor(int m, double[][] b, double sigma) {
        this.m = m;
        this.b = b;
        this.sigma = sigma;
    }

    public int length() {
        return m;
    }

    public int rank() {
        return b.length;
    }

    public double sigma() {
        return sigma;
    }

    /**
     * Factors the Gram of {@code x} (finite, length >= 2) at width {@code sigma}, stopping when the trace of the
     * residual is at most {@code traceTol}.
     */
    public static GaussianFactor of(double[] x, double sigma, double traceTol) {
        int m = x.length;
        KernelColumns kernel = new KernelColumns(x, sigma);
        double[] d = new double[m];      // residual diagonal of K - A A^T
        Arrays.fill(d, 1.0);
        double[] sq = new double[m];     // scratch: squares of the new column
        double[][] cols = new double[Math.min(m, 16)][];
        double trace = m;
        int p = 0; // all diagonal entries are 1: the first pivot is arbitrary
        int k = 0;
        while (k < m) {
            double dp = d[p];
            if (trace <= traceTol || dp <= NOISE_FLOOR) {
                break;
            }
            if (k == cols.length) {
                cols = Arrays.copyOf(cols, Math.min(m, 2 * k));
            }
            double[] col = new double[m];
            kernel.column(p, col, 0); // K(:, p)
            // minus the part already explained by previous columns
            for (int j = 0; j < k; j++) {
                double[] cj = cols[j];
                double f = cj[p];
                if (f != 0.0) {
                    for (int i = 0; i < m; i++) {
                        col[i] -= cj[i] * f;
                    }
                }
            }
            double inv = 1.0 / Math.sqrt(dp);
            for (int i = 0; i < m; i++) {
                double a = col[i] * inv;
                col[i] = a;
                sq[i] = a * a;
            }
            col[p] = Math.sqrt(dp);
            for (int i = 0; i < m; i++) {
                d[i] = Math.max(d[i] - sq[i], 0.0);
            }
            d[p] = 0;
            cols[k++] = col;
            // next pivot and the residual trace: four independent chains (the JIT keeps reductions in order)
            double t0 = 0;
            double t1 = 0;
            double t2 = 0;
            double t3 = 0;
            double best = -1;
            int next = 0;
            int i = 0;
            for (; i + 3 < m; i += 4) {
                double d0 = d[i];
                double d1 = d[i + 1];
                double d2 = d[i + 2];
                double d3 = d[i + 3];
                t0 += d0;
                t1 += d1;
                t2 += d2;
                t3 += d3;
                double b01 = Math.max(d0, d1);
                double b23 = Math.max(d2, d3);
                if (Math.max(b01, b23) > best) {
                    for (int q = i; q < i + 4; q++) {
                        if (d[q] > best) {
                            best = d[q];
                            next = q;
                        }
                    }
                }
            }
            for (; i < m; i++) {
                t0 += d[i];
                if (d[i] > best) {
                    best = d[i];
                    next = i;
                }
            }
            trace = (t0 + t1) + (t2 + t3);
            p = next;
        }
        double[][] b = Arrays.copyOf(cols, k);
        for (double[] col : b) { // centre: B = H A
            double mean = sum(col) / m;
            for (int i = 0; i < m; i++) {
                col[i] -= mean;
            }
        }
        return new GaussianFactor(m, b, sigma);
    }

    private static double sum(double[] v) {
        double s0 = 0;
        double s1 = 0;
        int i = 0;
        for (; i + 1 < v.length; i += 2) {
            s0 += v[i];
            s1 += v[i + 1];
        }
        for (; i < v.length; i++) {
            s0 += v[i];
        }
        return s0 + s1;
    }

    /** G = B^T B, {@code rank x rank} row-major. */
    double[] gram() {
        double[] g = products(b, b);
        return g;
    }

    /** C = Bx^T By, {@code x.rank x y.rank} row-major. */
    static double[] cross(GaussianFactor x, GaussianFactor y) {
        return products(x.b, y.b);
    }

    /**
     * All dot products of the columns of u with the columns of v, {@code u.length x v.length} row-major, in 2 x 4
     * register blocks: each pass over the m entries reads 6 columns and keeps 8 independent sums (instruction-level
     * parallelism the JIT will not create by reordering a single floating-point sum).
     */
    static double[] products(double[][] u, double[][] v) {
        int ru = u.length;
        int rv = v.length;
        double[] c = new double[ru * rv];
        int a = 0;
        for (; a + 1 < ru; a += 2) {
            double[] u0 = u[a];
            double[] u1 = u[a + 1];
            int e = 0;
            for (; e + 3 < rv; e += 4) {
                double[] v0 = v[e];
                double[] v1 = v[e + 1];
                double[] v2 = v[e + 2];
                double[] v3 = v[e + 3];
                double s00 = 0;
                double s01 = 0;
                double s02 = 0;
                double s03 = 0;
                double s10 = 0;
                double s11 = 0;
                double s12 = 0;
                double s13 = 0;
                for (int i = 0; i < u0.length; i++) {
                    double x0 = u0[i];
                    double x1 = u1[i];
                    double y0 = v0[i];
                    double y1 = v1[i];
                    double y2 = v2[i];
                    double y3 = v3[i];
                    s00 += x0 * y0;
                    s01 += x0 * y1;
                    s02 += x0 * y2;
                    s03 += x0 * y3;
                    s10 += x1 * y0;
                    s11 += x1 * y1;
                    s12 += x1 * y2;
                    s13 += x1 * y3;
                }
                int r0 = a * rv + e;
                int r1 = r0 + rv;
                c[r0] = s00;
                c[r0 + 1] = s01;
                c[r0 + 2] = s02;
                c[r0 + 3] = s03;
                c[r1] = s10;
                c[r1 + 1] = s11;
                c[r1 + 2] = s12;
                c[r1 + 3] = s13;
            }
            for (; e < rv; e++) {
                c[a * rv + e] = dot(u0, v[e]);
                c[(a + 1) * rv + e] = dot(u1, v[e]);
            }
        }
        for (; a < ru; a++) {
            for (int e = 0; e < rv; e++) {
                c[a * rv + e] = dot(u[a], v[e]);
            }
        }
        return c;
    }

    /** Dot product with four independent accumulators. */
    static double dot(double[] u, double[] v) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int n = u.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += u[i] * v[i];
            s1 += u[i + 1] * v[i + 1];
            s2 += u[i + 2] * v[i + 2];
            s3 += u[i + 3] * v[i + 3];
        }
        for (; i < n; i++) {
            s0 += u[i] * v[i];
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
