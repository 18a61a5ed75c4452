package dev.mipeaks.eval;

import dev.mipeaks.PyStr;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python {@code re} patterns on {@link java.util.regex}, for porting the reference grader's regular expressions
 * with their Python meaning:
 * <ul>
 * <li>{@code \w} / {@code \W} are Python's Unicode word characters (letters, numbers and the underscore:
 * {@code str.isalnum() or '_'}), {@code \d} / {@code \D} Unicode decimal digits, {@code \s} / {@code \S} Python's
 * whitespace ({@link PyStr#isSpace}), {@code \b} / {@code \B} boundaries between those word characters;</li>
 * <li>a brace that does not open a repetition ({@code {m}}, {@code {m,}}, {@code {,n}}, {@code {m,n}}) is a literal
 * brace, as in Python (Java would reject the pattern);</li>
 * <li>{@code .}, {@code ^} and {@code $} know only {@code \n} as a line end (Java's UNIX_LINES; {@code $} also
 * matches before a final newline, as Python's).</li>
 * </ul>
 * Matching reads its input through a character sequence that stops with {@link CancellationException} once the
 * thread is interrupted, so a caller's time limit also ends a long regular-expression search.
 */
public final class PyRe {
    private static final String WORD = "\\p{L}\\p{N}_";
    private static final String SPACE = "\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}"
            + "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";

    private PyRe() {
    }

    /** Compiles a Python pattern (the subset used by the reference: no named groups or Python-only syntax). */
    public static Pattern compile(String python) {
        return Pattern.compile(translate(python), Pattern.UNIX_LINES);
    }

    static String translate(String p) {
        StringBuilder b = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                char n = p.charAt(++i);
                String rep = switch (n) {
                    case 'w' -> inClass ? WORD : "[" + WORD + "]";
                    case 'W' -> inClass ? null : "[^" + WORD + "]";
                    case 'd' -> "\\p{Nd}";
                    case 'D' -> inClass ? null : "\\P{Nd}";
                    case 's' -> inClass ? SPACE : "[" + SPACE + "]";
                    case 'S' -> inClass ? null : "[^" + SPACE + "]";
                    case 'b' -> inClass ? "\\x08" : "(?:(?<=[" + WORD + "])(?![" + WORD + "])|(?<![" + WORD + "])(?=["
                            + WORD + "]))";
                    case 'B' -> inClass ? null : "(?:(?<=[" + WORD + "])(?=[" + WORD + "])|(?<![" + WORD + "])(?!["
                            + WORD + "]))";
                    default -> "\\" + n;
                };
                if (rep == null) {
                    throw new IllegalArgumentException("\\" + n + " inside a character class is not supported: " + p);
                }
                b.append(rep);
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                } else if (c == '[') {
                    b.append('\\'); // a literal '[' inside a class (Java would read a nested class)
                } else if (c == '&' && i + 1 < p.length() && p.charAt(i + 1) == '&') {
                    b.append('\\');
                }
                b.append(c);
            } else if (c == '[') {
                inClass = true;
                b.append(c);
                if (i + 1 < p.length() && p.charAt(i + 1) == '^') {
                    b.append('^');
                    i++;
                }
                if (i + 1 < p.length() && p.charAt(i + 1) == ']') { // a leading ']' is literal in Python
                    b.append("\\]");
                    i++;
                }
            } else if (c == '{' && !repetition(p, i)) {
                b.append("\\{");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Whether the brace at {@code at} opens a Python repetition {m}, {m,}, {,n} or {m,n}. */
    private static boolean repetition(String p, int at) {
        int close = p.indexOf('}', at);
        if (close < 0) {
            return false;
        }
        return p.substring(at + 1, close).matches("\\d+|\\d+,\\d*|,\\d+") && at > 0;
    }

    /** {@code re.sub(pattern, repl, s)} with a Python replacement template ({@code \1}, {@code \g<1>}, {@code \\}). */
    public static String sub(Pattern p, String template, String s) {
        Matcher m = p.matcher(watched(s));
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(s, last, m.start());
            expand(template, m, out);
            last = m.end();
        }
        out.append(s, last, s.length());
        return out.toString();
    }

    private static void expand(String t, Matcher m, StringBuilder out) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length()) {
                char n = t.charAt(++i);
                if (Character.isDigit(n)) {
                    String g = m.group(n - '0');
                    out.append(g == null ? "" : g);
                } else if (n == 'g' && i + 1 < t.length() && t.charAt(i + 1) == '<') {
                    int close = t.indexOf('>', i);
                    String g = m.group(Integer.parseInt(t.substring(i + 2, close)));
                    out.append(g == null ? "" : g);
                    i = close;
                } else if (n == 'n') {
                    out.append('\n');
                } else if (n == '\\') {
                    out.append('\\');
                } else {
                    out.append('\\').append(n); // Python keeps unknown ASCII-letter-free escapes as is
                }
            } else {
                out.append(c);
            }
        }
    }

    /** {@code re.findall(pattern, s)}: group 1 when the pattern has groups (the reference's patterns have one). */
    public static List<String> findall(Pattern p, String s) {
        Matcher m = p.matcher(watched(s));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            String g = m.groupCount() >= 1 ? m.group(1) : m.group();
            out.add(g == null ? "" : g);
        }
        return out;
    }

    /** {@code re.match(pattern, s) is not None}: a match at the start of {@code s}. */
    public static boolean match(Pattern p, String s) {
        return p.matcher(watched(s)).lookingAt();
    }

    /** {@code re.split(pattern, s)} for a pattern without groups. */
    public static List<String> split(Pattern p, String s) {
        Matcher m = p.matcher(watched(s));
        List<String> out = new ArrayList<>();
        int last = 0;
        while (m.find()) {
            out.add(s.substring(last, m.start()));
            last = m.end();
        }
        out.add(s.substring(last));
        return out;
    }

    /** The input as the matcher reads it: every 4096th character read checks whether the thread was interrupted. */
    static CharSequence watched(String s) {
        return s.length() < 256 ? s : new Watched(s, 0, s.length());
    }

    private record Watched(String s, int from, int to) implements CharSequence {
        private static final ThreadLocal<int[]> READS = ThreadLocal.withInitial(() -> new int[1]);

        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            int[] n = READS.get();
            if ((++n[0] & 4095) == 0 && Thread.currentThread().isInterrupted()) {
                throw new CancellationException("regular expression interrupted");
            }
            return s.charAt(from + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Watched(s, from + start, from + end);
        }

        @Override
        public String toString() {
            return s.substring(from, to);
        }
    }
}
