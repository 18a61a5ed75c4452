package dev.mipeaks.bench;

import java.util.Random;

/** Generated vectors shaped like residual-stream states (as in the parity data): Gaussian bulk plus a few large entries. */
final class HiddenLike {
    private HiddenLike() {
    }

    static double[][] rows(long seed, int n, int m) {
        Random r = new Random(seed);
        double[][] out = new double[n][m];
        for (double[] v : out) {
            for (int i = 0; i < m; i++) {
                v[i] = r.nextGaussian();
            }
            for (int k = 0; k < 4; k++) {
                v[r.nextInt(m)] = (r.nextBoolean() ? 1 : -1) * (100 + 600 * r.nextDouble());
            }
        }
        return out;
    }
}
