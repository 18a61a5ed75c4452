package dev.mipeaks.mi.reference;

import java.util.Arrays;

/**
 * Slow, obviously-correct float64 implementations of every estimator: the m x m matrices are formed and the
 * definitions are followed to the letter (O(m^2) memory, O(m^3) time). The fast estimators are tested against these
 * and against the exact values in ../shared/parity.
 */
public final class DenseReference {
    private DenseReference() {
    }

    /** Squared distances D_ij = (x_i - x_j)^2, m x m row-major. */
    public static double[] squaredDistances(double[] x) {
        int m = x.length;
        double[] d = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double t = x[i] - x[j];
                d[i * m + j] = t * t;
            }
        }
        return d;
    }

    /** K_ij = exp(-D_ij / (2 sigma^2)). */
    public static double[] gaussianGram(double[] x, double sigma) {
        double[] k = squaredDistances(x);
        for (int i = 0; i < k.length; i++) {
            k[i] = Math.exp(-k[i] / (2 * sigma * sigma));
        }
        return k;
    }

    /**
     * K - 11^T, entry by entry with expm1. Centring removes the constant exactly (11^T H = 0), so K H = (K - 11^T) H
     * and H K H = H (K - 11^T) H; computing K - 1 directly keeps the digits that 1 + (tiny) would round away when
     * sigma is wide relative to the entries' spread (sigma 400 on small hidden states, say).
     */
    public static double[] gaussianGramMinusOne(double[] x, double sigma) {
        double[] k = squaredDistances(x);
        for (int i = 0; i < k.length; i++) {
            k[i] = Math.expm1(-k[i] / (2 * sigma * sigma));
        }
        return k;
    }

    /** K H with H = I - 11^T/m (right centring only, as the reference code does). */
    public static double[] rightCentre(double[] k, int m) {
        double[] out = new double[m * m];
        double[] h = centring(m);
        matmul(k, h, out, m);
        return out;
    }

    /** H K H. */
    public static double[] bothCentre(double[] k, int m) {
        double[] h = centring(m);
        double[] t = new double[m * m];
        double[] out = new double[m * m];
        matmul(h, k, t, m);
        matmul(t, h, out, m);
        return out;
    }

    public static double[] centring(int m) {
        double[] h = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                h[i * m + j] = (i == j ? 1.0 : 0.0) - 1.0 / m;
            }
        }
        return h;
    }

    /** out = a b for m x m row-major matrices. */
    public static void matmul(double[] a, double[] b, double[] out, int m) {
        Arrays.fill(out, 0.0);
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < m; k++) {
                double f = a[i * m + k];
                if (f == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    out[i * m + j] += f * b[k * m + j];
                }
            }
        }
    }

    /** Inverse by Gauss-Jordan elimination with partial pivoting. */
    public static double[] inverse(double[] a, int m) {
        double[] w = a.clone();
        double[] inv = new double[m * m];
        for (int i = 0; i < m; i++) {
            inv[i * m + i] = 1.0;
        }
        for (int col = 0; col < m; col++) {
            int piv = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(w[r * m + col]) > Math.abs(w[piv * m + col])) {
                    piv = r;
                }
            }
            if (w[piv * m + col] == 0) {
                throw new ArithmeticException("singular matrix at column " + col);
            }
            swapRows(w, piv, col, m);
            swapRows(inv, piv, col, m);
            double f = 1.0 / w[col * m + col];
            for (int j = 0; j < m; j++) {
                w[col * m + j] *= f;
                inv[col * m + j] *= f;
            }
            for (int r = 0; r < m; r++) {
                if (r == col) {
                    continue;
                }
                double g = w[r * m + col];
                if (g == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    w[r * m + j] -= g * w[col * m + j];
                    inv[r * m + j] -= g * inv[col * m + j];
                }
            }
        }
        return inv;
    }

    private static void swapRows(double[] a, int r1, int r2, int m) {
        if (r1 == r2) {
            return;
        }
        for (int j = 0; j < m; j++) {
            double t = a[r1 * m + j];
            a[r1 * m + j] = a[r2 * m + j];
            a[r2 * m + j] = t;
        }
    }

    /** R = Kc (Kc + c I)^-1 with Kc = K H. */
    public static double[] nhsicR(double[] x, double sigma, double eps) {
        int m = x.length;
        double[] kc = rightCentre(gaussianGramMinusOne(x, sigma), m);
        double[] reg = kc.clone();
        for (int i = 0; i < m; i++) {
            reg[i * m + i] += eps * m;
        }
        double[] r = new double[m * m];
        matmul(kc, inverse(reg, m), r, m);
        return r;
    }

    /** sum(A * B^T) = trace(A B). */
    public static double sumTimesTranspose(double[] a, double[] b, int m) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                s += a[i * m + j] * b[j * m + i];
            }
        }
        return s;
    }

    public static double nhsic(double[] x, double[] y, double sigmaX, double sigmaY, double eps) {
        return sumTimesTranspose(nhsicR(x, sigmaX, eps), nhsicR(y, sigmaY, eps), x.length);
    }

    /** Biased HSIC: mean(KxH * (KyH)^T). */
    public static double hsic(double[] x, double[] y, double sigmaX, double sigmaY) {
        int m = x.length;
        double[] kx = rightCentre(gaussianGramMinusOne(x, sigmaX), m);
        double[] ky = rightCentre(gaussianGramMinusOne(y, sigmaY), m);
        return sumTimesTranspose(kx, ky, m) / ((double) m * m);
    }

    /** CKA from two Grams, both-side centred. */
    public static double cka(double[] k, double[] l, int m) {
        double[] kc = bothCentre(k, m);
        double[] lc = bothCentre(l, m);
        double kl = elementwiseDot(kc, lc);
        double kk = elementwiseDot(kc, kc);
        double ll = elementwiseDot(lc, lc);
        // a constant vector's centred Gram is zero up to rounding of the centring: CKA is defined as 0 there
        if (kk <= 1e-24 * elementwiseDot(k, k) || ll <= 1e-24 * elementwiseDot(l, l)) {
            return 0.0;
        }
        return kl / Math.sqrt(kk * ll);
    }

    private static double elementwiseDot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double ckaLinear(double[] x, double[] y) {
        int m = x.length;
        return cka(outer(x), outer(y), m);
    }

    private static double[] outer(double[] x) {
        int m = x.length;
        double[] k = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                k[i * m + j] = x[i] * x[j];
            }
        }
        return k;
    }

    /** RBF CKA with sigma^2 = median of the nonzero entries of each squared-distance matrix. */
    public static double ckaRbf(double[] x, double[] y) {
        int m = x.length;
        return cka(rbfMedianGram(x), rbfMedianGram(y), m);
    }

    private static double[] rbfMedianGram(double[] x) {
        double[] d = squaredDistances(x);
        double[] nz = Arrays.stream(d).filter(v -> v != 0).sorted().toArray();
        if (nz.length == 0) {
            double[] ones = new double[d.length];
            Arrays.fill(ones, 1.0);
            return ones;
        }
        double med = median(nz);
        double[] k = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            k[i] = Math.exp(-d[i] * 0.5 / med);
        }
        return k;
    }

    /** numpy's median of a sorted array (mean of the two middle values for an even count). */
    public static double median(double[] sorted) {
        int n = sorted.length;
        return (n & 1) == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /**
     * The reference's sigma_estimation(X, X), materialised: the strictly-lower triangle of the squared-distance
     * matrix of the 2m points [x; x], its median (its mean if the median is <= 0), floored at 1e-2.
     */
    public static double referenceSigma(double[] x) {
        int m = x.length;
        double[] z = new double[2 * m];
        System.arraycopy(x, 0, z, 0, m);
        System.arraycopy(x, 0, z, m, m);
        double[] tri = new double[(2 * m) * (2 * m - 1) / 2];
        int t = 0;
        for (int i = 0; i < 2 * m; i++) {
            for (int j = 0; j < i; j++) {
                double d = z[i] - z[j];
                tri[t++] = d * d;
            }
        }
        Arrays.sort(tri);
        double med = median(tri);
        if (med <= 0) {
            med = Arrays.stream(tri).sum() / tri.length;
        }
        return Math.max(med, 1e-2);
    }
}
