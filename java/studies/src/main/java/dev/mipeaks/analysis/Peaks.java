package dev.mipeaks.analysis;

import java.util.Arrays;
import java.util.stream.IntStream;

/** The two peak rules over one MI trajectory m[0..T). */
public final class Peaks {
    private Peaks() {
    }

    /** The paper's code's k. */
    public static final int DEFAULT_TOP_K = 20;

    /**
     * The k steps with the largest MI, largest first; equal values are ordered by lower step index. k >= T gives
     * every step.
     */
    public static int[] topK(double[] m, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
        }
        Integer[] idx = IntStream.range(0, m.length).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, (a, b) -> {
            int c = Double.compare(m[b], m[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int n = Math.min(k, m.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /**
     * The positions of {@code steps} in step order: {@code steps[order[0]] < steps[order[1]] < ...}. Output files list
     * peak steps in step order; a top-k list (largest MI first) keeps its rank as position + 1 in the original.
     */
    public static int[] stepOrder(int[] steps) {
        return IntStream.range(0, steps.length).boxed()
                .sorted((a, b) -> Integer.compare(steps[a], steps[b])).mapToInt(Integer::intValue).toArray();
    }

    /**
     * The paper's outlier rule: steps with m > Q3 + 1.5 IQR, in step order (quartiles as {@link Quartiles}).
     * With IQR = 0 the rule reads m > Q3. An empty trajectory has no peaks.
     */
    public static int[] iqrRule(double[] m) {
        if (m.length == 0) {
            return new int[0];
        }
        return above(m, Quartiles.of(m).upperFence());
    }

    /** Steps with m > threshold, in step order. */
    static int[] above(double[] m, double threshold) {
        return IntStream.range(0, m.length).filter(i -> m[i] > threshold).toArray();
    }

    /**
     * Mean gap (in steps) between consecutive peaks: for sorted steps p_1 < ... < p_n the mean of p_{i+1} - p_i,
     * which is (p_n - p_1) / (n - 1). Undefined (NaN) below 2 peaks: callers exclude those and count them.
     */
    public static double meanInterval(int[] steps) {
        if (steps.length < 2) {
            return Double.NaN;
        }
        int[] s = steps.clone();
        Arrays.sort(s);
        return (double) (s[s.length - 1] - s[0]) / (s.length - 1);
    }

    /** |A ∩ B| / |A ∪ B| of two step sets; 1 when both are empty (identical). */
    public static double jaccard(int[] a, int[] b) {
        java.util.Set<Integer> sa = new java.util.HashSet<>();
        for (int v : a) {
            sa.add(v);
        }
        java.util.Set<Integer> union = new java.util.HashSet<>(sa);
        int inter = 0;
        for (int v : b) {
            if (union.add(v)) {
                continue;
            }
            if (sa.contains(v)) {
                inter++;
            }
        }
        return union.isEmpty() ? 1.0 : (double) inter / union.size();
    }
}
