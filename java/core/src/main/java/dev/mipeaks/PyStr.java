package dev.mipeaks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Python {@code str} semantics where the reference code's behaviour depends on them: {@code str.isspace()} (and so
 * {@code strip()}, {@code lstrip()}, {@code rstrip()} without arguments) counts a fixed set of characters as
 * whitespace that differs from Java's {@link Character#isWhitespace} (Python includes U+00A0, U+2007, U+202F and
 * U+0085; Java does not).
 */
public final class PyStr {
    private PyStr() {
    }

    /** Python's {@code ch.isspace()} for one character (the Unicode whitespace set CPython uses). */
    public static boolean isSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000b', '\u000c', '\r', '\u001c', '\u001d', '\u001e', '\u001f', ' ', '\u0085', '\u00a0',
                 '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200a';
        };
    }

    /** {@code s.strip()}. */
    public static String strip(String s) {
        return rstrip(lstrip(s));
    }

    /** {@code s.lstrip()}. */
    public static String lstrip(String s) {
        int a = 0;
        while (a < s.length() && isSpace(s.charAt(a))) {
            a++;
        }
        return s.substring(a);
    }

    /** {@code s.rstrip()}. */
    public static String rstrip(String s) {
        int b = s.length();
        while (b > 0 && isSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(0, b);
    }

    /** {@code s.strip(chars)}: removes any of {@code chars} at both ends. */
    public static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    /** {@code s.lstrip(chars)}. */
    public static String lstrip(String s, String chars) {
        int a = 0;
        while (a < s.length() && chars.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        return s.substring(a);
    }

    /** {@code s.rstrip(chars)}. */
    public static String rstrip(String s, String chars) {
        int b = s.length();
        while (b > 0 && chars.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(0, b);
    }

    /** {@code s.split(sep)} (a literal separator; every piece kept, empty ones included). */
    public static List<String> split(String s, String sep) {
        return split(s, sep, -1);
    }

    /** {@code s.split(sep, maxsplit)} (maxsplit negative: no limit). */
    public static List<String> split(String s, String sep, int maxsplit) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (maxsplit < 0 || out.size() < maxsplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** {@code s.split()}: runs of whitespace separate, none at the ends. */
    public static List<String> splitWhitespace(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && isSpace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < s.length() && !isSpace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    /** {@code s.count(sub)}: non-overlapping occurrences. */
    public static int count(String s, String sub) {
        int n = 0;
        int from = 0;
        while (true) {
            int at = s.indexOf(sub, from);
            if (at < 0) {
                return n;
            }
            n++;
            from = at + Math.max(1, sub.length());
        }
    }

    /**
     * Python's {@code float(s)}, or null where it raises ValueError: surrounding whitespace, a sign, digits (any
     * Unicode decimal digits) with single underscores between them, a fraction, an exponent, or inf / infinity / nan
     * in any case. A literal too large for a double gives an infinity, as in Python.
     */
    public static Double parseFloat(String s) {
        String t = strip(s);
        if (t.isEmpty()) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (t.charAt(0) == '+' || t.charAt(0) == '-') {
            negative = t.charAt(0) == '-';
            i = 1;
        }
        String rest = t.substring(i).toLowerCase(java.util.Locale.ROOT);
        if (rest.equals("inf") || rest.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (rest.equals("nan")) {
            return Double.NaN;
        }
        StringBuilder ascii = new StringBuilder(negative ? "-" : "");
        int[] at = {i};
        int intDigits = digits(t, at, ascii);
        if (intDigits < 0) {
            return null;
        }
        int fracDigits = 0;
        if (at[0] < t.length() && t.charAt(at[0]) == '.') {
            ascii.append('.');
            at[0]++;
            fracDigits = digits(t, at, ascii);
            if (fracDigits < 0) {
                return null;
            }
        }
        if (intDigits + fracDigits == 0) {
            return null;
        }
        if (at[0] < t.length() && (t.charAt(at[0]) == 'e' || t.charAt(at[0]) == 'E')) {
            ascii.append('e');
            at[0]++;
            if (at[0] < t.length() && (t.charAt(at[0]) == '+' || t.charAt(at[0]) == '-')) {
                ascii.append(t.charAt(at[0]));
                at[0]++;
            }
            int expDigits = digits(t, at, ascii);
            if (expDigits <= 0) {
                return null;
            }
        }
        if (at[0] != t.length()) {
            return null;
        }
        return Double.parseDouble(ascii.toString());
    }

    /** Reads digits with single underscores between them into {@code out}; the count, or -1 for a bad underscore. */
    private static int digits(String t, int[] at, StringBuilder out) {
        int n = 0;
        int i = at[0];
        while (i < t.length()) {
            char c = t.charAt(i);
            if (Character.isDigit(c)) {
                out.append((char) ('0' + Character.digit(c, 10)));
                n++;
                i++;
            } else if (c == '_' && n > 0 && i + 1 < t.length() && Character.isDigit(t.charAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        if (i < t.length() && t.charAt(i) == '_') {
            return -1;
        }
        at[0] = i;
        return n;
    }

    /** Python's {@code repr(x)} / {@code str(x)} of a float: the shortest digits that read back as {@code x}. */
    public static String repr(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0) {
            return 1 / x < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(x);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, java.math.RoundingMode.HALF_EVEN));
            if (Double.parseDouble(r.toString()) == x) {
                shortest = r;
                break;
            }
        }
        BigDecimal u = shortest.stripTrailingZeros();
        String digits = u.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - u.scale(); // decimal exponent of the first digit
        String sign = x < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            String plain = u.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
