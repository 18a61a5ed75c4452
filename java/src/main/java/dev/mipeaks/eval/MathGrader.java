package dev.mipeaks.eval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a model's answer equals the ground truth of a math problem.
 *
 * <p>Order (cheap before expensive, so that grading MATH-500 takes seconds): normalised strings
 * ({@link MathNormalizer}), case-insensitive words and choice letters; equations side-wise; tuples, intervals,
 * sets, lists and matrices element-wise (interval brackets must match; sets, bare lists and {@code a \pm b} are
 * unordered); plain numbers with relative tolerance 1e-4 (and /100, x100 when either side had a percent sign);
 * finally the Symja CAS ({@link SymjaCas}) with a per-comparison timeout that counts as not equal.
 *
 * <p><b>Thread safety:</b> a MathGrader may be shared by threads; the string/number rules are pure and the CAS is a
 * pool of {@link Options#casWorkers} engines (more threads than workers wait for one). Close it to stop the CAS
 * threads (they are daemons, so forgetting to does not keep the JVM alive).
 */
public final class MathGrader implements AutoCloseable {
    /**
     * @param casTimeout  limit per CAS comparison (default 2 s); running past it is {@link Rule#TIMEOUT}, not equal
     * @param casWorkers  CAS engines (threads) that may run at once
     * @param useCas      false: string, number, structure and equation rules only
     * @param fastPaths   false: skip the string and numeric shortcuts for scalars and ask the CAS (the slow
     *                    reference the fast paths are tested against)
     */
    public record Options(Duration casTimeout, int casWorkers, boolean useCas, boolean fastPaths) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(2), 1, true, true);
        }

        public Options withCasTimeout(Duration d) {
            return new Options(d, casWorkers, useCas, fastPaths);
        }

        public Options withCasWorkers(int n) {
            return new Options(casTimeout, n, useCas, fastPaths);
        }

        public Options withCas(boolean on) {
            return new Options(casTimeout, casWorkers, on, fastPaths);
        }

        public Options withFastPaths(boolean on) {
            return new Options(casTimeout, casWorkers, useCas, on);
        }
    }

    private static final double RTOL = 1e-4;
    private static final double EXACT_RTOL = 1e-12;
    private static final int MAX_DEPTH = 4;
    private static final Pattern CHOICE = Pattern.compile("^\\(?([A-Za-z])\\)?$");
    private static final Pattern WORDS = Pattern.compile("^[A-Za-z]{3,}(?:[ '-]?[A-Za-z]+)*$");
    // numbers in a base (52_8, 4210_5): only string equality applies; Symja's TeX parser stalls on them
    private static final Pattern BASE_NUMBER = Pattern.compile("\\d_");
    private static final Pattern VARIABLE = Pattern.compile("^(?:[a-zA-Z](?:_\\{?\\w+\\}?)?|\\\\[a-zA-Z]+|[a-zA-Z]\\([a-z]\\))$");
    private static final Pattern MATRIX = Pattern.compile("^\\\\begin\\{([pbvBV]?matrix|array)\\}(?:\\{[^}]*\\})?(.*)\\\\end\\{\\1\\}$");

    private final Options options;
    private final SymjaCas cas;

    public MathGrader() {
        this(Options.defaults());
    }

    public MathGrader(Options options) {
        this.options = options;
        this.cas = options.useCas() ? new SymjaCas(Math.max(1, options.casWorkers())) : null;
    }

    public Options options() {
        return options;
    }

    /** Loads the CAS now (seconds) rather than on the first comparison that needs it. */
    public MathGrader warmUp() {
        if (cas != null) {
            SymjaCas.initialise();
            cas.equal("x+1", "1+x", Duration.ofSeconds(60));
        }
        return this;
    }

    /** Extracts the answer from a full response ({@link AnswerExtractor}) and compares it. */
    public Verdict grade(String response, String groundTruth) {
        AnswerExtractor.Extraction ex = AnswerExtractor.extract(response);
        if (ex.answer() == null) {
            return new Verdict(false, Rule.NONE, null, groundTruth, ex.method());
        }
        Outcome o = equivalent(ex.answer(), groundTruth);
        return new Verdict(o.equal, o.rule, ex.answer(), groundTruth, ex.method());
    }

    /** Compares an already extracted answer (a bare {@code \boxed{}} wrapper is removed) to the ground truth. */
    public Verdict compare(String prediction, String groundTruth) {
        if (prediction == null || prediction.isBlank()) {
            return new Verdict(false, Rule.NONE, prediction, groundTruth, AnswerExtractor.Method.NONE);
        }
        Outcome o = equivalent(prediction, groundTruth);
        return new Verdict(o.equal, o.rule, prediction, groundTruth, AnswerExtractor.Method.BOXED);
    }

    /** Convenience: {@code compare(prediction, groundTruth).correct()}. */
    public boolean isEquivalent(String prediction, String groundTruth) {
        return compare(prediction, groundTruth).correct();
    }

    @Override
    public void close() {
        if (cas != null) {
            cas.close();
        }
    }

    /** Result of one comparison. */
    private record Outcome(boolean equal, Rule rule) {
    }

    private Outcome equivalent(String pred, String gt) {
        boolean percent = hasPercent(pred) || hasPercent(gt);
        return equivalentNormalised(MathNormalizer.normalize(pred), MathNormalizer.normalize(gt), percent, 0);
    }

    private static boolean hasPercent(String s) {
        return s != null && (s.contains("%") || s.toLowerCase(Locale.ROOT).contains("percent"));
    }

    private Outcome equivalentNormalised(String p, String g, boolean percent, int depth) {
        if (g == null || p == null) {
            return new Outcome(false, Rule.NONE);
        }
        if (options.fastPaths() || depth > 0) {
            if (p.equals(g)) {
                return new Outcome(true, Rule.STRING);
            }
            String kp = textKey(p);
            if (kp != null && kp.equals(textKey(g))) {
                return new Outcome(true, Rule.STRING);
            }
        }
        if (depth < MAX_DEPTH && (isEquation(p) || isEquation(g))) {
            return equation(p, g, percent, depth);
        }
        Struct sp = depth < MAX_DEPTH ? Struct.parse(p) : null;
        Struct sg = depth < MAX_DEPTH ? Struct.parse(g) : null;
        if (sp != null || sg != null) {
            if (sp == null || sg == null) {
                return new Outcome(false, Rule.TUPLE);
            }
            return structs(sp, sg, percent, depth);
        }
        return scalar(p, g, percent);
    }

    /** Lower-cased words, or the letter of a multiple-choice answer; null for anything else. */
    private static String textKey(String s) {
        Matcher m = CHOICE.matcher(s);
        if (m.matches()) {
            return "choice:" + m.group(1).toUpperCase(Locale.ROOT);
        }
        if (s.length() > 1 && WORDS.matcher(s).matches()) {
            return "words:" + s.toLowerCase(Locale.ROOT).replace(" ", "");
        }
        return null;
    }

    private Outcome scalar(String p, String g, boolean percent) {
        Double a = Numbers.parse(p);
        Double b = Numbers.parse(g);
        if (options.fastPaths()) {
            if (a != null && b != null) {
                // the 1e-4 tolerance is for decimals (rounded answers); exact numbers (integers, fractions) must
                // be equal, else 13536 would pass for 13535
                double tol = Numbers.isExact(p) && Numbers.isExact(g) ? EXACT_RTOL : RTOL;
                boolean eq = Numbers.close(a, b, tol)
                        || percent && (Numbers.close(a, b / 100, RTOL) || Numbers.close(a, b * 100, RTOL));
                return new Outcome(eq, Rule.NUMERIC);
            }
            if (textKey(p) != null && (a != null || b != null || textKey(g) != null)) {
                return new Outcome(false, Rule.STRING); // a word against a number or another word
            }
        }
        if (cas == null || BASE_NUMBER.matcher(p).find() || BASE_NUMBER.matcher(g).find()) {
            return new Outcome(false, Rule.STRING);
        }
        SymjaCas.Result r = cas.equal(p, g, options.casTimeout());
        if (r == SymjaCas.Result.UNEQUAL && percent && a != null && b != null) {
            boolean eq = Numbers.close(a, b / 100, RTOL) || Numbers.close(a, b * 100, RTOL);
            return new Outcome(eq, eq ? Rule.NUMERIC : Rule.CAS);
        }
        return switch (r) {
            case EQUAL -> new Outcome(true, Rule.CAS);
            case UNEQUAL -> new Outcome(false, Rule.CAS);
            case TIMEOUT -> new Outcome(false, Rule.TIMEOUT);
            case UNSUPPORTED -> new Outcome(false, Rule.STRING);
        };
    }

    // ---- equations ----

    private static boolean isEquation(String s) {
        int i = s.indexOf('=');
        return i > 0 && i == s.lastIndexOf('=') && i < s.length() - 1;
    }

    private Outcome equation(String p, String g, boolean percent, int depth) {
        boolean pe = isEquation(p);
        boolean ge = isEquation(g);
        if (pe && ge) {
            String[] a = p.split("=", 2);
            String[] b = g.split("=", 2);
            if (same(a[0], b[0], percent, depth) && same(a[1], b[1], percent, depth)
                    || same(a[0], b[1], percent, depth) && same(a[1], b[0], percent, depth)) {
                return new Outcome(true, Rule.EQUATION);
            }
            if (cas != null) {
                // the same equation rearranged or multiplied by -1: (a0-a1) = ±(b0-b1)
                String da = "(" + a[0] + ")-(" + a[1] + ")";
                String db = "(" + b[0] + ")-(" + b[1] + ")";
                SymjaCas.Result r1 = cas.equal(da, db, options.casTimeout());
                if (r1 == SymjaCas.Result.EQUAL) {
                    return new Outcome(true, Rule.EQUATION);
                }
                SymjaCas.Result r2 = cas.equal(da, "-(" + db + ")", options.casTimeout());
                if (r2 == SymjaCas.Result.EQUAL) {
                    return new Outcome(true, Rule.EQUATION);
                }
                if (r1 == SymjaCas.Result.TIMEOUT || r2 == SymjaCas.Result.TIMEOUT) {
                    return new Outcome(false, Rule.TIMEOUT);
                }
            }
            return new Outcome(false, Rule.EQUATION);
        }
        // one side "x = value", the other a bare value: compare the values
        String eq = pe ? p : g;
        String other = pe ? g : p;
        String[] sides = eq.split("=", 2);
        if (VARIABLE.matcher(sides[0]).matches()) {
            Outcome o = pe ? equivalentNormalised(sides[1], other, percent, depth + 1)
                    : equivalentNormalised(other, sides[1], percent, depth + 1);
            return new Outcome(o.equal, o.rule == Rule.TIMEOUT ? Rule.TIMEOUT : Rule.EQUATION);
        }
        return new Outcome(false, Rule.EQUATION);
    }

    private boolean same(String a, String b, boolean percent, int depth) {
        return equivalentNormalised(a, b, percent, depth + 1).equal;
    }

    // ---- tuples, intervals, sets, matrices ----

    /** A parsed compound answer. */
    private record Struct(Kind kind, String open, String close, List<String> items, int cols) {
        enum Kind { BRACKET, SET, LIST, MATRIX, UNION }

        static Struct parse(String s) {
            Matcher mx = MATRIX.matcher(s);
            if (mx.matches()) {
                String[] rows = mx.group(2).split("\\\\\\\\");
                List<String> items = new ArrayList<>();
                int cols = -1;
                for (String row : rows) {
                    if (row.isEmpty()) {
                        continue;
                    }
                    String[] cells = row.split("&", -1);
                    if (cols >= 0 && cells.length != cols) {
                        return new Struct(Kind.MATRIX, "", "", List.of(s), -1); // ragged: compare as a whole
                    }
                    cols = cells.length;
                    items.addAll(List.of(cells));
                }
                return new Struct(Kind.MATRIX, "", "", items, cols);
            }
            List<String> union = splitTop(s, "\\cup");
            if (union.size() > 1) {
                return new Struct(Kind.UNION, "", "", union, 0);
            }
            if (s.startsWith("\\{") && s.endsWith("\\}") && s.length() >= 4) {
                List<String> expanded = new ArrayList<>();
                for (String it : splitTop(s.substring(2, s.length() - 2), ",")) {
                    expanded.addAll(expandPm(it));
                }
                return new Struct(Kind.SET, "{", "}", expanded, 0);
            }
            if (s.length() >= 2 && "([".indexOf(s.charAt(0)) >= 0 && ")]".indexOf(s.charAt(s.length() - 1)) >= 0
                    && closer(s, 0) == s.length() - 1) {
                List<String> items = splitTop(s.substring(1, s.length() - 1), ",");
                if (items.size() > 1) {
                    return new Struct(Kind.BRACKET, s.substring(0, 1), s.substring(s.length() - 1), items, 0);
                }
                return null;
            }
            List<String> items = splitTop(s, ",");
            if (items.size() > 1) {
                List<String> expanded = new ArrayList<>();
                for (String it : items) {
                    expanded.addAll(expandPm(it));
                }
                return new Struct(Kind.LIST, "", "", expanded, 0);
            }
            List<String> pm = expandPm(s);
            if (pm.size() > 1) {
                return new Struct(Kind.LIST, "", "", pm, 0);
            }
            return null;
        }

        boolean unordered() {
            return kind == Kind.SET || kind == Kind.LIST;
        }
    }

    private Outcome structs(Struct a, Struct b, boolean percent, int depth) {
        boolean bothUnordered = a.unordered() && b.unordered();
        if (!bothUnordered) {
            if (a.kind() != b.kind() || !a.open().equals(b.open()) || !a.close().equals(b.close())
                    || a.cols() != b.cols() || a.items().size() != b.items().size()) {
                return new Outcome(false, Rule.TUPLE);
            }
            boolean timeout = false;
            for (int i = 0; i < a.items().size(); i++) {
                Outcome o = equivalentNormalised(MathNormalizer.normalize(a.items().get(i)),
                        MathNormalizer.normalize(b.items().get(i)), percent, depth + 1);
                if (!o.equal) {
                    return new Outcome(false, o.rule == Rule.TIMEOUT ? Rule.TIMEOUT : Rule.TUPLE);
                }
            }
            return new Outcome(!timeout, Rule.TUPLE);
        }
        if (a.items().size() != b.items().size()) {
            return new Outcome(false, Rule.TUPLE);
        }
        // unordered: match each item of a to a distinct item of b (small lists; greedy is exact for an
        // equivalence relation)
        boolean[] used = new boolean[b.items().size()];
        boolean sawTimeout = false;
        for (String x : a.items()) {
            boolean found = false;
            for (int j = 0; j < used.length && !found; j++) {
                if (!used[j]) {
                    Outcome o = equivalentNormalised(MathNormalizer.normalize(x),
                            MathNormalizer.normalize(b.items().get(j)), percent, depth + 1);
                    sawTimeout |= o.rule == Rule.TIMEOUT;
                    if (o.equal) {
                        used[j] = true;
                        found = true;
                    }
                }
            }
            if (!found) {
                return new Outcome(false, sawTimeout ? Rule.TIMEOUT : Rule.TUPLE);
            }
        }
        return new Outcome(true, Rule.TUPLE);
    }

    /** {@code a\pm b} -> [a+b, a-b] (one top-level \pm, else the item itself). */
    private static List<String> expandPm(String s) {
        List<String> parts = splitTop(s, "\\pm");
        if (parts.size() != 2 || parts.get(1).isEmpty()) {
            return List.of(s);
        }
        String a = parts.get(0);
        String b = parts.get(1);
        return List.of(a + "+" + b, a + "-" + b);
    }

    /** Index of the bracket closing the one at {@code open} ((,[ open; ),] close), or -1. */
    private static int closer(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '{' || s.charAt(i + 1) == '}')) {
                i++;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Splits at {@code sep} outside any (), [], {} or \{ \}. */
    static List<String> splitTop(String s, String sep) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '{' || s.charAt(i + 1) == '}')) {
                depth += s.charAt(i + 1) == '{' ? 1 : -1;
                i++;
                continue;
            }
            if (depth == 0 && s.startsWith(sep, i)) {
                out.add(s.substring(start, i));
                i += sep.length() - 1;
                start = i + 1;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
