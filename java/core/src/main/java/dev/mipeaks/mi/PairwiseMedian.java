package dev.mipeaks.mi;

import java.util.Arrays;

/**
 * Exact order statistics of the pairwise squared distances (x_i - x_j)^2 of a vector's entries, in O(m log m)
 * memory O(m): sort once, then find the k-th smallest difference by bisection over the bit patterns of doubles,
 * counting pairs below a threshold with two pointers. The dense alternative materialises m^2/2 distances.
 */
public final class PairwiseMedian {
    private PairwiseMedian() {
    }

    /**
     * The reference code's {@code sigma_estimation(X, X)}: the median of the strictly-lower triangle of the
     * squared-distance matrix of [x; x] (2m points), the mean of that triangle if the median is <= 0, floored at
     * 1e-2. The result is used as sigma itself (kernel exp(-d^2 / (2 sigma^2))).
     */
    public static double referenceSigma(double[] x) {
        int m = x.length;
        double[] s = sortedCopy(x);
        // The triangle holds m zeros (each entry against its copy) and 4 copies of every unordered pair distance.
        long total = (long) m * (2L * m - 1);
        double med;
        if ((total & 1) == 1) {
            med = tripletKth(s, (total - 1) / 2);
        } else {
            med = (tripletKth(s, total / 2 - 1) + tripletKth(s, total / 2)) / 2.0;
        }
        if (med <= 0) {
            med = 4.0 * sumPairSquares(s) / total;
        }
        if (med < 1e-2) {
            med = 1e-2;
        }
        return med;
    }

    /**
     * Median of the nonzero squared distances (x_i - x_j)^2 over i != j (as Kornblith et al.'s RBF CKA code
     * takes it); 0 when every entry is equal.
     */
    public static double medianNonzeroSquared(double[] x) {
        double[] s = sortedCopy(x);
        long pairs = (long) s.length * (s.length - 1) / 2;
        long zeros = countAtMost(s, 0.0);
        long n = pairs - zeros;
        if (n <= 0) {
            return 0.0;
        }
        if ((n & 1) == 1) {
            return sq(kthDifference(s, zeros + (n - 1) / 2));
        }
        return (sq(kthDifference(s, zeros + n / 2 - 1)) + sq(kthDifference(s, zeros + n / 2))) / 2.0;
    }

    /** k-th (0-based) element of the [x; x] triangle multiset, squared distances. */
    private static double tripletKth(double[] s, long k) {
        int m = s.length;
        if (k < m) {
            return 0.0;
        }
        return sq(kthDifference(s, (k - m) / 4));
    }

    private static double sq(double d) {
        return d * d;
    }

    private static double[] sortedCopy(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s;
    }

    /** Number of pairs i < j with s[j] - s[i] <= t, for sorted s. */
    static long countAtMost(double[] s, double t) {
        long count = 0;
        int i = 0;
        for (int j = 1; j < s.length; j++) {
            while (s[j] - s[i] > t) {
                i++;
            }
            count += j - i;
        }
        return count;
    }

    /**
     * The k-th smallest (0-based) pairwise difference s[j] - s[i], i < j, of sorted s: the smallest t >= 0 with
     * countAtMost(t) > k. Non-negative doubles order like their bit patterns, so bisection on the bits is exact.
     */
    static double kthDifference(double[] s, long k) {
        long lo = 0;
        long hi = Double.doubleToRawLongBits(s[s.length - 1] - s[0]);
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (countAtMost(s, Double.longBitsToDouble(mid)) > k) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return Double.longBitsToDouble(lo);
    }

    /** Sum over i < j of (s_i - s_j)^2, as m * sum(x^2) - (sum x)^2 computed around the mean for stability. */
    private static double sumPairSquares(double[] s) {
        double mean = 0;
        for (double v : s) {
            mean += v;
        }
        mean /= s.length;
        double ss = 0;
        for (double v : s) {
            ss += (v - mean) * (v - mean);
        }
        return s.length * ss;
    }
}
