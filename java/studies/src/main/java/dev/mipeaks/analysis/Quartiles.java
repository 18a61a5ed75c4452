package dev.mipeaks.analysis;

import java.util.Arrays;

/**
 * Order statistics of one MI trajectory, computed exactly as numpy does by default so that numbers match the
 * paper's Python code to the last bit:
 * <ul>
 *   <li>{@link #percentile}: numpy's default method "linear" (type 7): position h = q (n - 1) in the sorted values,
 *   interpolated between the neighbours with numpy's {@code _lerp} (a + (b - a) t, or b - (b - a)(1 - t) when
 *   t >= 0.5);</li>
 *   <li>{@code median}: {@code np.median}: the middle value, or the mean of the two middle values.</li>
 * </ul>
 * Q1 = percentile 25, Q3 = percentile 75, IQR = Q3 - Q1.
 */
public record Quartiles(double q1, double median, double q3) {

    public double iqr() {
        return q3 - q1;
    }

    /** The paper's outlier threshold Q3 + 1.5 IQR (equal to Q3 when IQR is 0). */
    public double upperFence() {
        return q3 + 1.5 * iqr();
    }

    /** Quartiles of {@code values} (length >= 1; not modified). */
    public static Quartiles of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("quartiles of an empty sequence");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return new Quartiles(percentileSorted(s, 25), medianSorted(s), percentileSorted(s, 75));
    }

    /** numpy.percentile(sorted, p) with the default linear method; {@code sorted} ascending, length >= 1. */
    public static double percentileSorted(double[] sorted, double p) {
        int n = sorted.length;
        double q = p / 100.0;
        // numpy: virtual index n*q + (1 - q) - 1 (alpha = beta = 1); equal to q*(n-1) for q = 0.25, 0.5, 0.75.
        double h = n * q + (1 - q) - 1;
        double lo = Math.floor(h);
        int i = (int) Math.max(0, Math.min(n - 1, lo));
        int j = Math.min(n - 1, i + 1);
        double t = h - lo;
        if (h >= n - 1) {
            return sorted[n - 1];
        }
        return lerp(sorted[i], sorted[j], t);
    }

    /** numpy's _lerp: exact at both ends and monotone. */
    static double lerp(double a, double b, double t) {
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    /** numpy.median of ascending values. */
    public static double medianSorted(double[] sorted) {
        int n = sorted.length;
        if ((n & 1) == 1) {
            return sorted[n / 2];
        }
        return (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
