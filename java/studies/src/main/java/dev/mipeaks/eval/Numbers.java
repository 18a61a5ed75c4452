package dev.mipeaks.eval;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a normalised answer as a plain number (integers, decimals, {@code 1e3}, fractions, mixed numbers,
 * a x 10^k) and compares numbers <b>exactly</b>: a value is the rational {@code num / den * 10^exp} with arbitrary
 * precision integers, so a 400-digit number or {@code 1e400} is that number, not an overflowed infinity, and
 * 13536 is never 13535. The tolerance a grader allows for rounded decimals is applied exactly too. Nothing here
 * can be NaN or infinite.
 */
final class Numbers {
    private static final Pattern PLAIN = Pattern.compile("^(-?)(\\d+)(?:\\.(\\d+))?(?:[eE]([-+]?\\d+))?$");
    private static final Pattern FRAC = Pattern.compile(
            "^(-?)\\\\frac\\{(-?)(\\d+)(?:\\.(\\d+))?\\}\\{(-?)(\\d+)(?:\\.(\\d+))?\\}$");
    private static final Pattern MIXED = Pattern.compile("^(-?)(\\d+)\\\\frac\\{(\\d+)\\}\\{(\\d+)\\}$");
    private static final Pattern SCI = Pattern.compile(
            "^(-?)(\\d+)(?:\\.(\\d+))?(?:\\\\times|\\\\cdot)10\\^\\{?(-?\\d+)\\}?$");

    /**
     * An exact number: {@code num / den * 10^exp}, {@code den > 0}. {@code exact} is false when it was written with
     * a decimal point, an exponent or as a x 10^k: a possibly rounded value, which the grader compares with a
     * tolerance.
     */
    record Num(BigInteger num, BigInteger den, BigInteger exp, boolean exact) {
        Num {
            if (den.signum() <= 0) {
                throw new IllegalArgumentException("denominator must be > 0");
            }
        }

        int signum() {
            return num.signum();
        }

        /** This number times 10^k. */
        Num scaleByPowerOfTen(int k) {
            return new Num(num, den, exp.add(BigInteger.valueOf(k)), exact);
        }
    }

    private Numbers() {
    }

    /** The exact value, or null when {@code s} is not a plain number (or a fraction over zero). */
    static Num parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        Matcher m = PLAIN.matcher(s);
        if (m.matches()) {
            String frac = orEmpty(m.group(3));
            BigInteger e = m.group(4) == null ? BigInteger.ZERO : new BigInteger(m.group(4));
            return new Num(signed(m.group(1), m.group(2) + frac), BigInteger.ONE,
                    e.subtract(BigInteger.valueOf(frac.length())), m.group(3) == null && m.group(4) == null);
        }
        m = FRAC.matcher(s);
        if (m.matches()) {
            String nf = orEmpty(m.group(4));
            String df = orEmpty(m.group(7));
            BigInteger num = new BigInteger(m.group(3) + nf);
            BigInteger den = new BigInteger(m.group(6) + df);
            if (den.signum() == 0) {
                return null;
            }
            boolean negative = !m.group(1).isEmpty() ^ !m.group(2).isEmpty() ^ !m.group(5).isEmpty();
            return new Num(negative ? num.negate() : num, den, BigInteger.valueOf(df.length() - (long) nf.length()),
                    m.group(4) == null && m.group(7) == null);
        }
        m = MIXED.matcher(s);
        if (m.matches()) {
            BigInteger den = new BigInteger(m.group(4));
            if (den.signum() == 0) {
                return null;
            }
            BigInteger num = new BigInteger(m.group(2)).multiply(den).add(new BigInteger(m.group(3)));
            return new Num(m.group(1).isEmpty() ? num : num.negate(), den, BigInteger.ZERO, true);
        }
        m = SCI.matcher(s);
        if (m.matches()) {
            String frac = orEmpty(m.group(3));
            return new Num(signed(m.group(1), m.group(2) + frac), BigInteger.ONE,
                    new BigInteger(m.group(4)).subtract(BigInteger.valueOf(frac.length())), false);
        }
        return null;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static BigInteger signed(String minus, String digits) {
        BigInteger v = new BigInteger(digits);
        return minus.isEmpty() ? v : v.negate();
    }

    /** Exact order of two numbers (-1, 0, 1), at a cost bounded by their digits whatever the exponents. */
    static int compare(Num a, Num b) {
        if (a.signum() != b.signum()) {
            return Integer.compare(a.signum(), b.signum());
        }
        if (a.signum() == 0) {
            return 0;
        }
        int magnitude = compareMagnitudes(a, b);
        return a.signum() > 0 ? magnitude : -magnitude;
    }

    private static int compareMagnitudes(Num a, Num b) {
        Aligned xy = aligned(a, b);
        return xy.apart() != 0 ? xy.apart() : xy.x().compareTo(xy.y());
    }

    /**
     * |a| and |b| as integers x, y with the same scale (x / y = |a| / |b|); or, when their orders of magnitude are
     * more than two apart, {@code apart} = the sign of |a| - |b| (one is over 10 times the other) and no integers.
     */
    private record Aligned(int apart, BigInteger x, BigInteger y) {
    }

    private static Aligned aligned(Num a, Num b) {
        BigInteger x = a.num().abs().multiply(b.den());
        BigInteger y = b.num().abs().multiply(a.den());
        BigInteger shift = a.exp().subtract(b.exp());
        // orders of magnitude: x * 10^shift has (digits(x) - 1 + shift), y has (digits(y) - 1), each within 1
        BigInteger gap = BigInteger.valueOf(digits(x) - digits(y)).add(shift);
        if (gap.abs().compareTo(BigInteger.TWO) > 0) {
            return new Aligned(gap.signum(), null, null);
        }
        // |shift| <= digits(x) + digits(y) + 2 here: expanding the power of ten is cheap
        int k = shift.intValueExact();
        if (k >= 0) {
            x = x.multiply(BigInteger.TEN.pow(k));
        } else {
            y = y.multiply(BigInteger.TEN.pow(-k));
        }
        return new Aligned(0, x, y);
    }

    /** True when {@code a == b} exactly. */
    static boolean equal(Num a, Num b) {
        return close(a, b, 0);
    }

    /**
     * True when {@code |a - b| <= rtol * max(|a|, |b|)}, computed exactly ({@code rtol} is 0 or 10^-k for a small
     * k, e.g. 1e-4). Zero equals only zero. Cost: bounded by the digits written, whatever the exponents: numbers
     * whose orders of magnitude differ by more than two are told apart without being expanded.
     */
    static boolean close(Num a, Num b, double rtol) {
        if (a.signum() != b.signum()) {
            return false; // opposite signs, or zero against a non-zero: never within a relative tolerance < 1
        }
        if (a.signum() == 0) {
            return true;
        }
        Aligned xy = aligned(a, b);
        if (xy.apart() != 0) {
            return false; // ratio beyond 10: unequal under any tolerance < 0.9
        }
        BigInteger x = xy.x();
        BigInteger y = xy.y();
        if (rtol == 0) {
            return x.equals(y);
        }
        int tolDigits = toleranceDigits(rtol);
        // |x - y| * 10^tolDigits <= max(x, y)
        return x.subtract(y).abs().multiply(BigInteger.TEN.pow(tolDigits)).compareTo(x.max(y)) <= 0;
    }

    /** k for a tolerance of 10^-k (the grader's tolerances are powers of ten). */
    private static int toleranceDigits(double rtol) {
        double k = -Math.log10(rtol);
        long r = Math.round(k);
        if (rtol <= 0 || rtol >= 1 || Math.abs(k - r) > 1e-9) {
            throw new IllegalArgumentException("relative tolerance must be 10^-k, got " + rtol);
        }
        return (int) r;
    }

    /** Decimal digits of {@code v > 0}, exactly (bitLength gives it to within one). */
    private static long digits(BigInteger v) {
        long est = (long) Math.floor((v.bitLength() - 1) * 0.30102999566398114) + 1; // digits of 2^(bits-1)
        // v >= 2^(bits-1) has at least est digits and fewer than est + 1 more; one comparison settles it
        return v.compareTo(BigInteger.TEN.pow((int) est)) >= 0 ? est + 1 : est;
    }
}
