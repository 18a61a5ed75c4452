package dev.mipeaks.analysis;

import java.math.BigDecimal;

/**
 * Numbers as people write them, for text that names a parameter (estimator descriptions, chart labels): 50.0 -> "50",
 * 1.0E-5 -> "0.00001", 0.5 -> "0.5"; never Java's exponent form. Anything that is not a finite number is its own text
 * ("median", "NaN").
 */
public final class PlainNumber {
    private PlainNumber() {
    }

    public static String format(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                return String.valueOf(d);
            }
            if (d == 0) {
                return "0";
            }
            // BigDecimal.valueOf uses the shortest decimal that round-trips (Double.toString), then drop its zeros
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }
}
