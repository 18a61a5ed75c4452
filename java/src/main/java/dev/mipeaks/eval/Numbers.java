package dev.mipeaks.eval;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a normalised answer as a plain number: integers, decimals, fractions, mixed numbers, a x 10^k. */
final class Numbers {
    private static final Pattern PLAIN = Pattern.compile("^-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?$");
    private static final Pattern FRAC = Pattern.compile("^(-?)\\\\frac\\{(-?\\d+(?:\\.\\d+)?)\\}\\{(-?\\d+(?:\\.\\d+)?)\\}$");
    private static final Pattern MIXED = Pattern.compile("^(-?)(\\d+)\\\\frac\\{(\\d+)\\}\\{(\\d+)\\}$");
    private static final Pattern SCI = Pattern.compile("^(-?\\d+(?:\\.\\d+)?)(?:\\\\times|\\\\cdot)10\\^\\{?(-?\\d+)\\}?$");

    private Numbers() {
    }

    /** The value, or null when {@code s} is not a plain number. */
    static Double parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (PLAIN.matcher(s).matches()) {
            return Double.parseDouble(s);
        }
        Matcher m = FRAC.matcher(s);
        if (m.matches()) {
            double den = Double.parseDouble(m.group(3));
            if (den == 0) {
                return null;
            }
            double v = Double.parseDouble(m.group(2)) / den;
            return m.group(1).isEmpty() ? v : -v;
        }
        m = MIXED.matcher(s);
        if (m.matches()) {
            double den = Double.parseDouble(m.group(4));
            if (den == 0) {
                return null;
            }
            double v = Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3)) / den;
            return m.group(1).isEmpty() ? v : -v;
        }
        m = SCI.matcher(s);
        if (m.matches()) {
            return Double.parseDouble(m.group(1)) * Math.pow(10, Integer.parseInt(m.group(2)));
        }
        return null;
    }

    /** True when {@code s} has no decimal point or exponent: an exact integer, fraction or mixed number. */
    static boolean isExact(String s) {
        return s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0;
    }

    /** Relative tolerance {@code rtol} against the larger magnitude; exact for zero. */
    static boolean close(double a, double b, double rtol) {
        if (a == b) {
            return true;
        }
        return Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b));
    }
}
