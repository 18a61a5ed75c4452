package dev.mipeaks.eval;

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
}
