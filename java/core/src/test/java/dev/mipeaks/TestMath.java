package dev.mipeaks;

import java.util.stream.IntStream;

/** The numeric checks the golden and parity tests share: relative error, argmax, top-1 margin. */
public final class TestMath {
    private TestMath() {
    }

    /** max |a-b| / (max |b| over the compared set) — a relative error robust to individual near-zero entries. */
    public static double relErr(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num = Math.max(num, Math.abs(a[i] - b[i]));
            den = Math.max(den, Math.abs(b[i]));
        }
        return den == 0 ? num : num / den;
    }

    /** {@link #relErr(double[], double[])} of float values (widened exactly). */
    public static double relErr(float[] a, double[] b) {
        return relErr(toDoubles(a), b);
    }

    /** {@link #relErr(double[], double[])} of float values (widened exactly). */
    public static double relErr(float[] a, float[] b) {
        return relErr(toDoubles(a), toDoubles(b));
    }

    public static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** The index of the largest entry, the first one on ties. */
    public static int argmax(double[] v) {
        return IntStream.range(1, v.length).reduce(0, (best, i) -> v[i] > v[best] ? i : best);
    }

    /** {@link #argmax(double[])} of float values. */
    public static int argmax(float[] v) {
        return argmax(toDoubles(v));
    }

    /** The largest entry minus the second largest (0 on a tie for the top). */
    public static double margin(double[] v) {
        double a = Double.NEGATIVE_INFINITY;
        double b = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            if (x > a) {
                b = a;
                a = x;
            } else if (x > b) {
                b = x;
            }
        }
        return a - b;
    }
}
