package dev.mipeaks.eval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a model's answer equals the ground truth of a math problem.
 *
 * <p>Order (cheap before expensive, so that grading MATH-500 takes seconds): normalised strings
 * ({@link MathNormalizer}), case-insensitive words and choice letters; equations side-wise; tuples, intervals,
 * sets, lists and matrices element-wise (interval brackets must match; sets, bare lists and {@code a \pm b} are
 * unordered); plain numbers exactly ({@link Numbers}: integers and fractions equal, decimals within a relative 1e-4,
 * and /100, x100 when either side had a percent sign); finally the Symja CAS ({@link SymjaCas}) with a
 * per-comparison timeout that counts as not equal.
 *
 * <p><b>Limits:</b> every answer gets one time budget for extraction, normalisation, comparison and the CAS, and
 * answers longer than a cap are not compared ({@link GradingLimits}); both give a wrong verdict with a reason, so
 * grading never stalls. Extraction and normalisation are linear in the text's length. These are the strict rules
 * ({@link AnswerRules}); another rule set can use the same limits beside them.
 *
 * <p><b>Thread safety:</b> a MathGrader may be shared by threads; the string/number rules are pure and the CAS is a
 * pool of {@link Options#casWorkers} engines (more threads than workers wait for one). Close it to stop the CAS
 * threads (they are daemons, so forgetting to does not keep the JVM alive).
 */
public final class MathGrader implements AutoCloseable, AnswerRules {
    /**
     * @param casTimeout  limit per CAS comparison (default 2 s); running past it is {@link Rule#TIMEOUT}, not equal
     * @param casWorkers  CAS engines (threads) that may run at once
     * @param useCas      false: string, number, structure and equation rules only
     * @param fastPaths   false: skip the string and numeric shortcuts for scalars and ask the CAS (the slow
     *                    reference the fast paths are tested against)
     * @param limits      time budget per answer and answer-length cap ({@link GradingLimits#defaults()})
     */
    public record Options(Duration casTimeout, int casWorkers, boolean useCas, boolean fastPaths,
                          GradingLimits limits) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(2), 1, true, true, GradingLimits.defaults());
        }

        public Options withCasTimeout(Duration d) {
            return new Options(d, casWorkers, useCas, fastPaths, limits);
        }

        public Options withCasWorkers(int n) {
            return new Options(casTimeout, n, useCas, fastPaths, limits);
        }

        public Options withCas(boolean on) {
            return new Options(casTimeout, casWorkers, on, fastPaths, limits);
        }

        public Options withFastPaths(boolean on) {
            return new Options(casTimeout, casWorkers, useCas, on, limits);
        }

        /** One time budget per answer (extraction + normalisation + comparison + CAS). */
        public Options withBudget(Duration budget) {
            return new Options(casTimeout, casWorkers, useCas, fastPaths,
                    new GradingLimits(budget, limits.maxAnswerChars()));
        }

        /** Answers (and ground truths) longer than this are not compared: {@link Rule#UNDECIDED}. */
        public Options withMaxAnswerChars(int chars) {
            return new Options(casTimeout, casWorkers, useCas, fastPaths, new GradingLimits(limits.budget(), chars));
        }
    }

    private static final double RTOL = 1e-4;
    private static final int MAX_DEPTH = 4;
    private static final String STAGE = "comparison";
    private static final String CAS_STAGE = "the CAS";
    private static final Pattern CHOICE = Pattern.compile("^\\(?([A-Za-z])\\)?$");
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

    /**
     * Extracts the answer from a full response ({@link AnswerExtractor}) and compares it, within the answer's
     * time budget and length cap.
     */
    public Verdict grade(String response, String groundTruth) {
        return options.limits().grade(response, groundTruth, this);
    }

    /**
     * Compares an already extracted answer (a bare {@code \boxed{}} wrapper is removed) to the ground truth, within
     * the answer's time budget and length cap.
     */
    public Verdict compare(String prediction, String groundTruth) {
        return options.limits().compare(prediction, groundTruth, this);
    }

    /** The strict rules on two raw answers, within {@code budget} (no length cap: see {@link GradingLimits}). */
    @Override
    public Comparison compare(String prediction, String groundTruth, Budget budget) {
        boolean percent = hasPercent(prediction) || hasPercent(groundTruth);
        return equivalentNormalised(MathNormalizer.normalize(prediction, budget),
                MathNormalizer.normalize(groundTruth, budget), percent, 0, budget);
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

    private static boolean hasPercent(String s) {
        return s != null && (s.contains("%") || s.toLowerCase(Locale.ROOT).contains("percent"));
    }

    private Comparison equivalentNormalised(String p, String g, boolean percent, int depth, Budget budget) {
        if (g == null || p == null) {
            return new Comparison(false, Rule.NONE);
        }
        budget.check(STAGE);
        if (options.fastPaths() || depth > 0) {
            if (p.equals(g)) {
                return new Comparison(true, Rule.STRING);
            }
            String kp = textKey(p);
            if (kp != null && kp.equals(textKey(g))) {
                return new Comparison(true, Rule.STRING);
            }
        }
        if (depth < MAX_DEPTH && (isEquation(p) || isEquation(g))) {
            return equation(p, g, percent, depth, budget);
        }
        Struct sp = depth < MAX_DEPTH ? Struct.parse(p, budget) : null;
        Struct sg = depth < MAX_DEPTH ? Struct.parse(g, budget) : null;
        if (sp != null || sg != null) {
            if (sp == null || sg == null) {
                return new Comparison(false, Rule.TUPLE);
            }
            return structs(sp, sg, percent, depth, budget);
        }
        return scalar(p, g, percent, budget);
    }

    /** Lower-cased words, or the letter of a multiple-choice answer; null for anything else. */
    private static String textKey(String s) {
        Matcher m = CHOICE.matcher(s);
        if (m.matches()) {
            return "choice:" + m.group(1).toUpperCase(Locale.ROOT);
        }
        if (s.length() > 1 && isWords(s)) {
            return "words:" + s.toLowerCase(Locale.ROOT).replace(" ", "");
        }
        return null;
    }

    /**
     * Letters in words: at least three letters first, then letters and single separators (space, ' or -) each
     * followed by a letter ({@code [A-Za-z]{3,}(?:[ '-]?[A-Za-z]+)*}, checked in one pass).
     */
    static boolean isWords(String s) {
        if (s.length() < 3) {
            return false;
        }
        boolean afterSeparator = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = c < 128 && Character.isLetter(c);
            if (i < 3 && !letter) {
                return false;
            }
            if (letter) {
                afterSeparator = false;
            } else if ((c == ' ' || c == '\'' || c == '-') && !afterSeparator) {
                afterSeparator = true;
            } else {
                return false;
            }
        }
        return !afterSeparator;
    }

    private Comparison scalar(String p, String g, boolean percent, Budget budget) {
        Numbers.Num a = Numbers.parse(p);
        Numbers.Num b = Numbers.parse(g);
        if (options.fastPaths()) {
            if (a != null && b != null) {
                return new Comparison(numbersEqual(a, b, percent), Rule.NUMERIC);
            }
            if (textKey(p) != null && (a != null || b != null || textKey(g) != null)) {
                return new Comparison(false, Rule.STRING); // a word against a number or another word
            }
        }
        if (cas == null || BASE_NUMBER.matcher(budget.guard(p, STAGE)).find()
                || BASE_NUMBER.matcher(budget.guard(g, STAGE)).find()) {
            return new Comparison(false, Rule.STRING);
        }
        SymjaCas.Result r = cas(p, g, budget);
        if (r == SymjaCas.Result.UNEQUAL && percent && a != null && b != null) {
            boolean eq = Numbers.close(a, b.scaleByPowerOfTen(-2), RTOL) || Numbers.close(a, b.scaleByPowerOfTen(2), RTOL);
            return new Comparison(eq, eq ? Rule.NUMERIC : Rule.CAS);
        }
        return switch (r) {
            case EQUAL -> new Comparison(true, Rule.CAS);
            case UNEQUAL -> new Comparison(false, Rule.CAS);
            case TIMEOUT -> casTimeout();
            case UNSUPPORTED -> new Comparison(false, Rule.STRING);
        };
    }

    /**
     * Two plain numbers, exactly: integers and fractions must be equal (else 13536 would pass for 13535), a decimal
     * on either side (a rounded answer) may differ by a relative 1e-4; with a percent sign on either side also
     * a = b / 100 or a = b x 100.
     */
    private static boolean numbersEqual(Numbers.Num a, Numbers.Num b, boolean percent) {
        double tol = a.exact() && b.exact() ? 0 : RTOL;
        return Numbers.close(a, b, tol)
                || percent && (Numbers.close(a, b.scaleByPowerOfTen(-2), RTOL)
                        || Numbers.close(a, b.scaleByPowerOfTen(2), RTOL));
    }

    /**
     * One CAS comparison, limited by the CAS timeout and what is left of the answer's budget (the CAS's one-time
     * start-up, seconds on the first answer that needs it, counts for neither).
     */
    private SymjaCas.Result cas(String a, String b, Budget budget) {
        Duration limit = budget.cap(options.casTimeout(), CAS_STAGE);
        SymjaCas.Result r = cas.equal(a, b, limit, budget); // the CAS's start-up is excluded from the budget
        if (r == SymjaCas.Result.TIMEOUT) {
            budget.check(CAS_STAGE); // the budget, not the CAS limit, ran out: say so
        }
        return r;
    }

    private Comparison casTimeout() {
        return new Comparison(false, Rule.TIMEOUT, "the CAS ran past its " + Budget.format(options.casTimeout())
                + " limit");
    }

    // ---- equations ----

    private static boolean isEquation(String s) {
        int i = s.indexOf('=');
        return i > 0 && i == s.lastIndexOf('=') && i < s.length() - 1;
    }

    private Comparison equation(String p, String g, boolean percent, int depth, Budget budget) {
        boolean pe = isEquation(p);
        boolean ge = isEquation(g);
        if (pe && ge) {
            String[] a = p.split("=", 2);
            String[] b = g.split("=", 2);
            if (same(a[0], b[0], percent, depth, budget) && same(a[1], b[1], percent, depth, budget)
                    || same(a[0], b[1], percent, depth, budget) && same(a[1], b[0], percent, depth, budget)) {
                return new Comparison(true, Rule.EQUATION);
            }
            if (cas != null) {
                // the same equation rearranged or multiplied by -1: (a0-a1) = ±(b0-b1)
                String da = "(" + a[0] + ")-(" + a[1] + ")";
                String db = "(" + b[0] + ")-(" + b[1] + ")";
                SymjaCas.Result r1 = cas(da, db, budget);
                if (r1 == SymjaCas.Result.EQUAL) {
                    return new Comparison(true, Rule.EQUATION);
                }
                SymjaCas.Result r2 = cas(da, "-(" + db + ")", budget);
                if (r2 == SymjaCas.Result.EQUAL) {
                    return new Comparison(true, Rule.EQUATION);
                }
                if (r1 == SymjaCas.Result.TIMEOUT || r2 == SymjaCas.Result.TIMEOUT) {
                    return casTimeout();
                }
            }
            return new Comparison(false, Rule.EQUATION);
        }
        // one side "x = value", the other a bare value: compare the values
        String eq = pe ? p : g;
        String other = pe ? g : p;
        String[] sides = eq.split("=", 2);
        if (VARIABLE.matcher(budget.guard(sides[0], STAGE)).matches()) {
            Comparison o = pe ? equivalentNormalised(sides[1], other, percent, depth + 1, budget)
                    : equivalentNormalised(other, sides[1], percent, depth + 1, budget);
            return o.rule() == Rule.TIMEOUT ? o : new Comparison(o.equal(), Rule.EQUATION);
        }
        return new Comparison(false, Rule.EQUATION);
    }

    private boolean same(String a, String b, boolean percent, int depth, Budget budget) {
        return equivalentNormalised(a, b, percent, depth + 1, budget).equal();
    }

    // ---- tuples, intervals, sets, matrices ----

    /** A parsed compound answer. */
    private record Struct(Kind kind, String open, String close, List<String> items, int cols) {
        enum Kind { BRACKET, SET, LIST, MATRIX, UNION }

        static Struct parse(String s, Budget budget) {
            budget.check(STAGE);
            Matcher mx = MATRIX.matcher(budget.guard(s, STAGE));
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

    private Comparison structs(Struct a, Struct b, boolean percent, int depth, Budget budget) {
        boolean bothUnordered = a.unordered() && b.unordered();
        if (!bothUnordered) {
            if (a.kind() != b.kind() || !a.open().equals(b.open()) || !a.close().equals(b.close())
                    || a.cols() != b.cols() || a.items().size() != b.items().size()) {
                return new Comparison(false, Rule.TUPLE);
            }
            for (int i = 0; i < a.items().size(); i++) {
                Comparison o = equivalentNormalised(MathNormalizer.normalize(a.items().get(i), budget),
                        MathNormalizer.normalize(b.items().get(i), budget), percent, depth + 1, budget);
                if (!o.equal()) {
                    return o.rule() == Rule.TIMEOUT ? o : new Comparison(false, Rule.TUPLE);
                }
            }
            return new Comparison(true, Rule.TUPLE);
        }
        if (a.items().size() != b.items().size()) {
            return new Comparison(false, Rule.TUPLE);
        }
        // unordered: match each item of a to a distinct item of b
        List<String> na = new ArrayList<>(a.items().size());
        List<String> nb = new ArrayList<>(b.items().size());
        for (int i = 0; i < a.items().size(); i++) {
            na.add(MathNormalizer.normalize(a.items().get(i), budget));
            nb.add(MathNormalizer.normalize(b.items().get(i), budget));
        }
        // plain numbers are read once, not once per pair (what the scalar rule would do with them)
        Numbers.Num[] numA = new Numbers.Num[na.size()];
        Numbers.Num[] numB = new Numbers.Num[nb.size()];
        for (int i = 0; i < numA.length && options.fastPaths(); i++) {
            numA[i] = Numbers.parse(na.get(i));
            numB[i] = Numbers.parse(nb.get(i));
        }
        Boolean sorted = sortedNumbers(numA, numB, percent, budget);
        if (sorted != null) {
            return new Comparison(sorted, Rule.TUPLE);
        }
        // anything else: items equal as normalised strings first (linear), the rest pairwise, greedily (exact for an
        // equivalence relation), within the budget
        Map<String, Integer> unmatched = new HashMap<>();
        for (String ny : nb) {
            unmatched.merge(ny, 1, Integer::sum);
        }
        List<String> restA = new ArrayList<>();
        List<Numbers.Num> restNumA = new ArrayList<>();
        for (int i = 0; i < na.size(); i++) {
            String nx = na.get(i);
            if (unmatched.getOrDefault(nx, 0) > 0) {
                unmatched.merge(nx, -1, Integer::sum);
            } else {
                restA.add(nx);
                restNumA.add(numA[i]);
            }
        }
        List<String> restB = new ArrayList<>(restA.size());
        List<Numbers.Num> restNumB = new ArrayList<>();
        for (int j = 0; j < nb.size(); j++) {
            String ny = nb.get(j);
            if (unmatched.getOrDefault(ny, 0) > 0) {
                unmatched.merge(ny, -1, Integer::sum);
                restB.add(ny);
                restNumB.add(numB[j]);
            }
        }
        boolean[] used = new boolean[restB.size()];
        Comparison timeout = null;
        for (int i = 0; i < restA.size(); i++) {
            String x = restA.get(i);
            Numbers.Num numX = restNumA.get(i);
            boolean found = false;
            for (int j = 0; j < used.length && !found; j++) {
                if (!used[j]) {
                    budget.tick(STAGE);
                    Comparison o = numX != null && restNumB.get(j) != null
                            ? new Comparison(numbersEqual(numX, restNumB.get(j), percent), Rule.NUMERIC)
                            : equivalentNormalised(x, restB.get(j), percent, depth + 1, budget);
                    if (o.rule() == Rule.TIMEOUT) {
                        timeout = o;
                    }
                    if (o.equal()) {
                        used[j] = true;
                        found = true;
                    }
                }
            }
            if (!found) {
                return timeout != null ? timeout : new Comparison(false, Rule.TUPLE);
            }
        }
        return new Comparison(true, Rule.TUPLE);
    }

    /**
     * Unordered lists of plain numbers under one tolerance (all exact, or all decimals) and no percent sign: equal
     * as multisets exactly when the sorted lists agree item by item, since each number matches an interval of
     * values whose ends grow with it (n log n instead of n^2 comparisons). Null when that does not apply.
     */
    private static Boolean sortedNumbers(Numbers.Num[] a, Numbers.Num[] b, boolean percent, Budget budget) {
        if (percent || a.length < 2) {
            return null;
        }
        boolean exact = a[0] != null && a[0].exact();
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null || b[i] == null || a[i].exact() != exact || b[i].exact() != exact) {
                return null;
            }
        }
        java.util.Comparator<Numbers.Num> order = (x, y) -> {
            budget.tick(STAGE);
            return Numbers.compare(x, y);
        };
        Numbers.Num[] sa = a.clone();
        Numbers.Num[] sb = b.clone();
        java.util.Arrays.sort(sa, order);
        java.util.Arrays.sort(sb, order);
        for (int i = 0; i < sa.length; i++) {
            budget.tick(STAGE);
            if (!numbersEqual(sa[i], sb[i], false)) {
                return false;
            }
        }
        return true;
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
