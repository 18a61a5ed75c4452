package dev.mipeaks.mi;

/** Dense kernels for the small r x r matrices of the low-rank estimators (row-major, float64). */
final class SmallLinalg {
    private SmallLinalg() {
    }

    /** In-place lower Cholesky of SPD {@code a} (n x n); the upper triangle is zeroed. */
    static void cholesky(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            double s = a[j * n + j];
            for (int k = 0; k < j; k++) {
                s -= a[j * n + k] * a[j * n + k];
            }
            if (!(s > 0)) {
                throw new ArithmeticException("matrix not positive definite at pivot " + j + " (" + s + ")");
            }
            double l = Math.sqrt(s);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++) {
                double t = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    t -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = t / l;
            }
            for (int i = 0; i < j; i++) {
                a[i * n + j] = 0;
            }
        }
    }

    /** Solves L X = C in place for lower-triangular L (n x n), C n x cols row-major. */
    static void forwardSolveRows(double[] l, int n, double[] c, int cols) {
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < i; k++) {
                double f = l[i * n + k];
                if (f != 0) {
                    for (int j = 0; j < cols; j++) {
                        c[i * cols + j] -= f * c[k * cols + j];
                    }
                }
            }
            double inv = 1.0 / l[i * n + i];
            for (int j = 0; j < cols; j++) {
                c[i * cols + j] *= inv;
            }
        }
    }

    /** Solves X L^T = W in place for lower-triangular L (n x n), W rows x n row-major. */
    static void solveRightTranspose(double[] l, int n, double[] w, int rows) {
        // X L^T = W  <=>  L X^T = W^T: forward substitution along each row of W
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            for (int i = 0; i < n; i++) {
                double s = w[o + i];
                for (int k = 0; k < i; k++) {
                    s -= l[i * n + k] * w[o + k];
                }
                w[o + i] = s / l[i * n + i];
            }
        }
    }
}
