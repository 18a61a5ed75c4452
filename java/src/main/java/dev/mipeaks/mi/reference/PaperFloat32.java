package dev.mipeaks.mi.reference;

/**
 * The paper's dense float32 computation, op for op: distmat as r + r^T - 2 X X^T with abs(), Gaussian Gram,
 * K H, inverse(Kc + eps m I), R = Kc Kinv, sum(Rx * Ry^T), all in float32. It is NOT exact (the parity data shows
 * errors up to several units on sparse vectors); it exists to show that and to time the paper's path.
 */
public final class PaperFloat32 {
    private PaperFloat32() {
    }

    public static double nhsic(double[] x, double[] y, double sigma, double eps) {
        int m = x.length;
        float[] rx = r(x, sigma, eps);
        float[] ry = r(y, sigma, eps);
        float s = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                s += rx[i * m + j] * ry[j * m + i];
            }
        }
        return s;
    }

    static float[] r(double[] xd, double sigma, double eps) {
        int m = xd.length;
        float[] x = new float[m];
        for (int i = 0; i < m; i++) {
            x[i] = (float) xd[i];
        }
        float variance = (float) (2.0 * sigma * sigma);
        float[] k = new float[m * m];
        for (int i = 0; i < m; i++) {
            float ri = x[i] * x[i];
            for (int j = 0; j < m; j++) {
                float d = Math.abs(ri - 2 * (x[i] * x[j]) + x[j] * x[j]);
                k[i * m + j] = (float) Math.exp(-d / variance);
            }
        }
        // Kc = K H: subtract each row's mean
        float[] kc = new float[m * m];
        for (int i = 0; i < m; i++) {
            float mean = 0;
            for (int j = 0; j < m; j++) {
                mean += k[i * m + j];
            }
            mean /= m;
            for (int j = 0; j < m; j++) {
                kc[i * m + j] = k[i * m + j] - mean;
            }
        }
        float[] reg = kc.clone();
        for (int i = 0; i < m; i++) {
            reg[i * m + i] += (float) (eps * m);
        }
        float[] inv = inverse(reg, m);
        float[] out = new float[m * m];
        for (int i = 0; i < m; i++) {
            for (int kk = 0; kk < m; kk++) {
                float f = kc[i * m + kk];
                for (int j = 0; j < m; j++) {
                    out[i * m + j] += f * inv[kk * m + j];
                }
            }
        }
        return out;
    }

    static float[] inverse(float[] a, int m) {
        float[] w = a.clone();
        float[] inv = new float[m * m];
        for (int i = 0; i < m; i++) {
            inv[i * m + i] = 1f;
        }
        for (int col = 0; col < m; col++) {
            int piv = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(w[r * m + col]) > Math.abs(w[piv * m + col])) {
                    piv = r;
                }
            }
            if (piv != col) {
                for (int j = 0; j < m; j++) {
                    float t = w[piv * m + j];
                    w[piv * m + j] = w[col * m + j];
                    w[col * m + j] = t;
                    t = inv[piv * m + j];
                    inv[piv * m + j] = inv[col * m + j];
                    inv[col * m + j] = t;
                }
            }
            float f = 1f / w[col * m + col];
            for (int j = 0; j < m; j++) {
                w[col * m + j] *= f;
                inv[col * m + j] *= f;
            }
            for (int r = 0; r < m; r++) {
                if (r == col) {
                    continue;
                }
                float g = w[r * m + col];
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
}
