package dev.mipeaks.mi;

/**
 * Columns K(:, p) of the Gaussian Gram of one vector, K_ip = exp(-s (x_i - x_p)^2) with s = 1/(2 sigma^2), computed
 * faster than one {@code Math.exp} per entry where that is exact to rounding.
 *
 * <p>Why: a hidden state is a bulk of entries of a few units plus a handful of outliers, and sigma (50) is far wider
 * than the bulk. Write K_ip = u_i u_p exp(t x_i) with u_i = exp(-s x_i^2) (once per vector) and t = 2 s x_p. Over the
 * bulk |x_i| <= B (B = sigma/5), |t x_i| <= zmax = 2 s |x_p| B is small, and a Taylor polynomial of the degree that
 * bounds the relative truncation error below 1e-17 evaluates exp(t x_i) in a few fused multiply-adds that the JIT
 * vectorises (one pass per coefficient over the column). Entries outside the bulk are recomputed with Math.exp.
 * Columns whose pivot makes zmax large (an outlier pivot far from the bulk) use Math.exp throughout, as do vectors
 * with many entries outside the bulk (e.g. under the median heuristic's narrow kernels).
 */
final class KernelColumns {
    private static final int MAX_DEGREE = 28;
    private static final double[] INV_FACTORIAL = new double[MAX_DEGREE + 1];
    /** Largest zmax handled by the polynomial; beyond it the degree grows and Math.exp is as cheap. */
    private static final double MAX_Z = 1.5;

    static {
        INV_FACTORIAL[0] = 1;
        for (int n = 1; n <= MAX_DEGREE; n++) {
            INV_FACTORIAL[n] = INV_FACTORIAL[n - 1] / n;
        }
    }

    private final double[] x;
    private final double scale;
    private final double cutoff;
    private final double bound;
    private final double[] u;       // exp(-s x_i^2) for bulk entries (unused elsewhere)
    private final int[] outliers;   // indices with |x_i| > bound, or null when the fast path is off
    private final double[] z;       // scratch: t x_i

    KernelColumns(double[] x, double sigma) {
        this.x = x;
        int m = x.length;
        this.scale = 1.0 / (2.0 * sigma * sigma);
        // beyond this squared distance exp() underflows to exactly 0 in double
        this.cutoff = 746.0 / scale;
        this.bound = sigma / 5;
        int n = 0;
        for (double v : x) {
            if (Math.abs(v) > bound) {
                n++;
            }
        }
        if (n > m / 8 || m < 64) {
            u = null;
            outliers = null;
            z = null;
            return;
        }
        outliers = new int[n];
        u = new double[m];
        z = new double[m];
        int k = 0;
        for (int i = 0; i < m; i++) {
            double v = x[i];
            if (Math.abs(v) > bound) {
                outliers[k++] = i;
            } else {
                u[i] = Math.exp(-scale * v * v);
            }
        }
    }

    /** Writes K(:, p) into out[off .. off+m). */
    void column(int p, double[] out, int off) {
        int m = x.length;
        double xp = x[p];
        int degree = degreeFor(xp);
        if (degree < 0) {
            direct(xp, out, off, 0, m);
            return;
        }
        double t = 2 * scale * xp;
        for (int i = 0; i < m; i++) {
            z[i] = t * x[i];
        }
        double c = INV_FACTORIAL[degree];
        for (int i = 0; i < m; i++) {
            out[off + i] = c;
        }
        for (int d = degree - 1; d >= 0; d--) {
            double cd = INV_FACTORIAL[d];
            for (int i = 0; i < m; i++) {
                out[off + i] = out[off + i] * z[i] + cd;
            }
        }
        double up = Math.exp(-scale * xp * xp);
        for (int i = 0; i < m; i++) {
            out[off + i] *= u[i] * up;
        }
        for (int i : outliers) {
            direct(xp, out, off, i, i + 1);
        }
    }

    /** The Taylor degree for pivot value xp, or -1 for the Math.exp path. */
    private int degreeFor(double xp) {
        if (outliers == null || Math.abs(xp) > bound * 30 || scale * xp * xp > 600) {
            return -1;
        }
        double zmax = 2 * scale * Math.abs(xp) * bound;
        if (zmax > MAX_Z) {
            return -1;
        }
        // relative error of the degree-D truncation of exp(z), |z| <= zmax: <= zmax^(D+1)/(D+1)! * e^(2 zmax)
        double growth = Math.exp(2 * zmax);
        double term = zmax;
        for (int d = 0; d < MAX_DEGREE; d++) {
            // term = zmax^(d+1) / (d+1)!
            if (term * growth <= 1e-17) {
                return Math.max(d, 1);
            }
            term *= zmax / (d + 2);
        }
        return -1;
    }

    private void direct(double xp, double[] out, int off, int from, int to) {
        for (int i = from; i < to; i++) {
            double diff = x[i] - xp;
            double sq = diff * diff;
            out[off + i] = sq > cutoff ? 0.0 : Math.exp(-sq * scale);
        }
    }
}
