package dev.mipeaks.generate;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;

/** Chooses a token from a row of logits: argmax, or temperature + top-p sampling. Banned ids never win. */
public final class Sampler {
    private Sampler() {
    }

    /** The id with the largest logit (the lowest id among ties), skipping banned ids; -1 if all are banned. */
    public static int argmax(float[] logits, BitSet banned) {
        int best = -1;
        float bv = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            if (banned != null && banned.get(i)) {
                continue;
            }
            float v = logits[i];
            if (best < 0 || v > bv) {
                best = i;
                bv = v;
            }
        }
        return best;
    }

    /**
     * Samples from softmax(logits / temperature) restricted to the smallest set of most probable ids whose
     * probability reaches topP (Hugging Face's TopPLogitsWarper keeps the token that crosses the threshold).
     */
    public static int sample(float[] logits, BitSet banned, double temperature, double topP, Random rng) {
        int n = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if ((banned == null || !banned.get(i)) && logits[i] > max) {
                max = logits[i];
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return argmax(logits, banned);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (banned != null && banned.get(i)) {
                continue;
            }
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        if (topP >= 1) {
            double u = rng.nextDouble() * sum;
            double acc = 0;
            int last = -1;
            for (int i = 0; i < n; i++) {
                if (p[i] > 0) {
                    acc += p[i];
                    last = i;
                    if (u < acc) {
                        return i;
                    }
                }
            }
            return last;
        }
        // order ids by probability, descending (ties: lower id first), via packed keys
        long[] keys = new long[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (p[i] > 0) {
                float f = (float) (p[i] / sum);
                // larger probability -> smaller key; positive float bits sort like the floats
                keys[m++] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(f)) << 32) | i;
            }
        }
        keys = Arrays.copyOf(keys, m);
        Arrays.sort(keys);
        double kept = 0;
        int k = 0;
        while (k < m) {
            kept += p[(int) keys[k]] / sum;
            k++;
            if (kept >= topP) {
                break;
            }
        }
        double u = rng.nextDouble() * kept;
        double acc = 0;
        for (int j = 0; j < k; j++) {
            int id = (int) keys[j];
            acc += p[id] / sum;
            if (u < acc) {
                return id;
            }
        }
        return (int) keys[k - 1];
    }
}
