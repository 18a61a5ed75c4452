package dev.mipeaks.eval;

import dev.mipeaks.PyStr;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;

/**
 * The reference's grading rules ({@link GradingRules#PAPER}): the Qwen2.5-Math evaluation's grader as MI-Peaks ships
 * it (applications/grader.py {@code math_equal}, parser.py {@code extract_answer} / {@code strip_string}, and the
 * run scripts' glue), reproduced step for step so that RR, TTTS and suppression accuracies can be compared with the
 * paper's. It is more lenient than {@link MathGrader} (and more often wrong), e.g.:
 * <ul>
 * <li>numbers are equal within a relative 1e-4 (13536 vs 13535 counts as correct), and the ground truth divided
 * and multiplied by 100 is tried too (5 vs 500 counts as correct), thousands commas removed;</li>
 * <li>tuples and intervals with different brackets are compared element-wise ((1,2) vs [1,2] are equal);</li>
 * <li>extraction: the last "boxed", then "he answer is" before "final answer is", then the last number;</li>
 * <li>normalisation: {@link PaperNormalizer} (units as regexes, number words, ...).</li>
 * </ul>
 * The one step that is not the reference's own: its symbolic comparison ({@code symbolic_equal}, SymPy's
 * parse_latex / simplify / N) runs on Symja ({@link SymjaCas}: Simplify(a-b) == 0 or numeric agreement). Every
 * answer has a time budget (the reference's 3 s per answer, {@code ProcessPool.map(..., timeout=3)}): past it the
 * answer is wrong ({@link Rule#TIMEOUT}); the budget covers extraction too, and a long regular-expression search is
 * stopped, so grading never hangs. Unlike the reference, a number that overflows a double (1e400) is never equal to
 * another such number (Python's float makes both inf).
 *
 * <p><b>Thread safety:</b> safe for concurrent use; each answer runs on its own daemon thread, the CAS is a pool
 * of {@code casWorkers} engines. Close it to stop the CAS threads.
 */
public final class PaperGrader implements AutoCloseable {
    /** The run scripts' stop words for the deepseek-math and most other prompt types. */
    public static final List<String> STOP_WORDS = List.of("</s>", "<|im_end|>", "<|endoftext|>");

    /**
     * @param perAnswer  time budget of one answer (extraction and comparison); the reference's is 3 s
     * @param casWorkers CAS engines that may run at once
     * @param stopWords  the response is cut before the first of these (each in turn), as the run scripts do
     */
    public record Options(Duration perAnswer, int casWorkers, List<String> stopWords) {
        public Options {
            stopWords = List.copyOf(stopWords);
            if (perAnswer.isNegative() || perAnswer.isZero()) {
                throw new IllegalArgumentException("per-answer budget must be > 0");
            }
        }

        public static Options defaults() {
            return new Options(Duration.ofSeconds(3), 1, STOP_WORDS);
        }

        public Options withPerAnswer(Duration d) {
            return new Options(d, casWorkers, stopWords);
        }

        public Options withCasWorkers(int n) {
            return new Options(perAnswer, n, stopWords);
        }

        public Options withStopWords(List<String> words) {
            return new Options(perAnswer, casWorkers, words);
        }
    }

    /**
     * The stop words the reference's RR and TTTS scripts use for a prompt type (the base three, plus the type's
     * own, e.g. "\n\nQuestion:" for cot).
     */
    public static List<String> stopWords(String promptType) {
        java.util.ArrayList<String> w = new java.util.ArrayList<>(STOP_WORDS);
        if (promptType.equals("cot")) {
            w.add("\n\nQuestion:");
        }
        if (List.of("pal", "tool-integrated", "jiuzhang_tora").contains(promptType)) {
            w.addAll(List.of("\n\n---", "```output"));
        } else if (List.of("wizard_zs", "platypus_fs").contains(promptType)) {
            w.addAll(List.of("Instruction", "Response"));
        } else if (promptType.contains("jiuzhang")) {
            w.add("\n\n## Question");
        } else if (promptType.contains("numina")) {
            w.add("\n### Problem");
        } else if (promptType.contains("pure")) {
            w.add("\n\n\n");
        }
        return List.copyOf(w);
    }

    private static final Pattern BRACKETED = PyRe.compile("(\\(|\\[).+(\\)|\\])");
    private static final Pattern BRACED_PAIR = PyRe.compile("\\{.*,.*\\}");
    private static final List<String> MATRIX_BEGIN = List.of("\\begin{pmatrix}", "\\begin{bmatrix}");
    private static final List<String> MATRIX_END = List.of("\\end{pmatrix}", "\\end{bmatrix}");
    private static final double RTOL = 1e-4;

    private final Options options;
    private final SymjaCas cas;

    public PaperGrader() {
        this(Options.defaults());
    }

    public PaperGrader(Options options) {
        this.options = options;
        this.cas = new SymjaCas(Math.max(1, options.casWorkers()));
    }

    public Options options() {
        return options;
    }

    /** The ground truth as the reference compares it: strip_string twice (parse_ground_truth, then evaluate). */
    public static String groundTruth(String answer) {
        return PaperNormalizer.stripString(PaperNormalizer.stripString(answer, false), false);
    }

    /**
     * What the reference's parse_question appends to a question whose ground truth (strip_string) is true/false
     * or yes/no: " (True or False)" / " (Yes or No)"; "" otherwise.
     */
    public static String questionSuffix(String answer) {
        if (answer == null) {
            return "";
        }
        String g = PaperNormalizer.stripString(answer, false).toLowerCase(Locale.ROOT);
        if (g.equals("true") || g.equals("false")) {
            return " (True or False)";
        }
        if (g.equals("yes") || g.equals("no")) {
            return " (Yes or No)";
        }
        return "";
    }

    /**
     * Grades a full response: cut at the stop words and stripped, answer extracted ({@link PaperExtractor}) and
     * normalised again (run_execute), letter fallbacks for a multiple-choice ground truth, then {@code math_equal}.
     */
    public Verdict grade(String response, String groundTruth) {
        return timed(groundTruth, deadline -> {
            String code = response == null ? "" : PyStr.strip(response);
            for (String w : options.stopWords()) {
                if (code.contains(w)) {
                    code = PyStr.strip(PyStr.split(code, w).get(0));
                }
            }
            if (code.isEmpty()) {
                return new Verdict(false, Rule.NONE, null, groundTruth, AnswerExtractor.Method.NONE);
            }
            PaperExtractor.Extraction ex = PaperExtractor.extract(code);
            String pred = PaperNormalizer.stripString(ex.answer(), false);
            String gt = groundTruth(groundTruth);
            if (PaperExtractor.isChoice(gt) && !PaperExtractor.isChoice(pred)) {
                pred = PaperExtractor.choiceOfResponse(code);
            } else if (PaperExtractor.isMultiChoice(gt) && !PaperExtractor.isMultiChoice(pred)) {
                StringBuilder b = new StringBuilder();
                for (char c : pred.toCharArray()) {
                    if ("ABCDE".indexOf(c) >= 0) {
                        b.append(c);
                    }
                }
                pred = b.toString();
            }
            Outcome o = mathEqual(pred, gt, deadline);
            return new Verdict(o.equal, o.rule, pred, groundTruth, ex.method());
        });
    }

    /** Compares an already extracted answer (normalised as run_execute would) with the ground truth. */
    public Verdict compare(String prediction, String groundTruth) {
        if (prediction == null || PyStr.strip(prediction).isEmpty()) {
            return new Verdict(false, Rule.NONE, prediction, groundTruth, AnswerExtractor.Method.NONE);
        }
        return timed(groundTruth, deadline -> {
            String pred = PaperNormalizer.stripString(PaperNormalizer.stripString(prediction, false), false);
            Outcome o = mathEqual(pred, groundTruth(groundTruth), deadline);
            return new Verdict(o.equal, o.rule, pred, groundTruth, AnswerExtractor.Method.BOXED);
        });
    }

    /** {@code math_equal(prediction, reference)} on normalised strings, with no time budget (for tests). */
    public boolean mathEqual(String prediction, String reference) {
        return mathEqual(prediction, reference, Long.MAX_VALUE).equal;
    }

    @Override
    public void close() {
        cas.close();
    }

    private interface Task {
        Verdict run(long deadlineNanos);
    }

    /** Runs {@code task} on its own thread within the per-answer budget; past it the answer is wrong (TIMEOUT). */
    private Verdict timed(String groundTruth, Task task) {
        long budget = options.perAnswer().toNanos();
        long deadline = System.nanoTime() + budget;
        Verdict[] out = new Verdict[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread t = new Thread(() -> {
            try {
                out[0] = task.run(deadline);
            } catch (CancellationException e) {
                out[0] = null;
            } catch (StackOverflowError e) {
                // brackets nested too deeply for the element-wise recursion: not an answer the rules can decide
                out[0] = new Verdict(false, Rule.NONE, null, groundTruth, AnswerExtractor.Method.NONE);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "paper-grader");
        t.setDaemon(true);
        t.start();
        try {
            t.join(Math.max(1, budget / 1_000_000));
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new CancellationException("grading interrupted");
        }
        if (t.isAlive()) {
            t.interrupt(); // stops a regex search; the thread is a daemon either way
            return new Verdict(false, Rule.TIMEOUT, null, groundTruth, AnswerExtractor.Method.NONE);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return out[0] != null ? out[0] : new Verdict(false, Rule.TIMEOUT, null, groundTruth, AnswerExtractor.Method.NONE);
    }

    /** Result of one comparison: equal or not, and the rule that decided (for a wrong answer, the last one tried). */
    private record Outcome(boolean equal, Rule rule) {
    }

    private Outcome mathEqual(String prediction, String reference, long deadline) {
        if (prediction == null || reference == null) {
            return new Outcome(false, Rule.NONE);
        }
        if (PyStr.strip(prediction).toLowerCase(Locale.ROOT).equals(PyStr.strip(reference).toLowerCase(Locale.ROOT))) {
            return new Outcome(true, Rule.STRING);
        }
        if (PaperExtractor.isChoice(reference) && PaperExtractor.choiceOfPrediction(prediction).equals(reference)) {
            return new Outcome(true, Rule.STRING);
        }
        Double p = parseDigits(prediction);
        Double r = p == null ? null : parseDigits(reference);
        if (p != null && r != null) {
            for (double item : new double[] {r / 100, r, r * 100}) {
                if (numericEqual(p, item)) {
                    return new Outcome(true, Rule.NUMERIC);
                }
            }
            return new Outcome(false, Rule.NUMERIC);
        }
        if (prediction.isEmpty()) {
            return new Outcome(false, Rule.NONE);
        }
        String ref = PyStr.strip(reference);
        String pred = PyStr.strip(prediction);
        if (pred.contains("pmatrix") && !ref.contains("pmatrix")) {
            ref = toPmatrix(ref);
        }
        String predStr = pred;
        String refStr = ref;
        if ((pred.startsWith("[") && pred.endsWith("]") && !ref.startsWith("("))
                || (pred.startsWith("(") && pred.endsWith(")") && !ref.startsWith("["))) {
            predStr = PyStr.strip(predStr, "[]()");
            refStr = PyStr.strip(refStr, "[]()");
        }
        for (String s : List.of("{", "}", "(", ")")) {
            refStr = refStr.replace(s, "");
            predStr = predStr.replace(s, "");
        }
        if (predStr.toLowerCase(Locale.ROOT).equals(refStr.toLowerCase(Locale.ROOT))) {
            return new Outcome(true, Rule.STRING);
        }
        Rule last = Rule.STRING;
        if (PyRe.match(BRACKETED, pred) && PyRe.match(BRACKETED, ref)) {
            List<String> pp = PyStr.split(pred.substring(1, Math.max(1, pred.length() - 1)), ",");
            List<String> rp = PyStr.split(ref.substring(1, Math.max(1, ref.length() - 1)), ",");
            if (pp.size() == rp.size()) {
                last = Rule.TUPLE;
                boolean all = true;
                for (int i = 0; i < pp.size(); i++) {
                    all &= mathEqual(pp.get(i), rp.get(i), deadline).equal; // the reference evaluates every part
                }
                if (all) {
                    return new Outcome(true, Rule.TUPLE);
                }
            }
        }
        if (startsWithAny(pred, MATRIX_BEGIN) && endsWithAny(pred, MATRIX_END) && startsWithAny(ref, MATRIX_BEGIN)
                && endsWithAny(ref, MATRIX_END)) {
            last = Rule.TUPLE;
            if (matricesEqual(pred, ref, deadline)) {
                return new Outcome(true, Rule.TUPLE);
            }
        }
        int pe = PyStr.count(pred, "=");
        int re = PyStr.count(ref, "=");
        if (pe == 1 && re == 1) {
            last = Rule.EQUATION;
            List<String> ps = PyStr.split(pred, "=");
            List<String> rs = PyStr.split(ref, "=");
            String pd = PyStr.strip(ps.get(0)) + " - (" + PyStr.strip(ps.get(1)) + ")";
            String rd = PyStr.strip(rs.get(0)) + " - (" + PyStr.strip(rs.get(1)) + ")";
            if (symbolicEqual(pd, rd, deadline) || symbolicEqual("-(" + pd + ")", rd, deadline)) {
                return new Outcome(true, Rule.EQUATION);
            }
        } else if (pe == 1 && PyStr.strip(PyStr.split(pred, "=").get(0)).length() <= 2 && re == 0) {
            last = Rule.EQUATION;
            if (mathEqual(PyStr.split(pred, "=").get(1), reference, deadline).equal) {
                return new Outcome(true, Rule.EQUATION);
            }
        } else if (re == 1 && PyStr.strip(PyStr.split(ref, "=").get(0)).length() <= 2 && pe == 0) {
            last = Rule.EQUATION;
            if (mathEqual(prediction, PyStr.split(ref, "=").get(1), deadline).equal) {
                return new Outcome(true, Rule.EQUATION);
            }
        }
        Boolean sym = symbolic(pred, ref, deadline);
        if (sym == null) {
            return new Outcome(false, Rule.TIMEOUT);
        }
        return sym ? new Outcome(true, Rule.CAS) : new Outcome(false, last == Rule.STRING ? Rule.CAS : last);
    }

    private boolean matricesEqual(String pred, String ref, long deadline) {
        List<String> pl = matrixLines(pred);
        List<String> rl = matrixLines(ref);
        if (pl.size() != rl.size()) {
            return false;
        }
        for (int i = 0; i < pl.size(); i++) {
            List<String> pp = PyStr.split(pl.get(i), "&");
            List<String> rp = PyStr.split(rl.get(i), "&");
            if (pp.size() != rp.size()) {
                return false;
            }
            boolean all = true;
            for (int k = 0; k < pp.size(); k++) {
                all &= mathEqual(pp.get(k), rp.get(k), deadline).equal;
            }
            if (!all) {
                return false;
            }
        }
        return true;
    }

    /** The non-blank stripped rows of a matrix: its text between \begin{pmatrix} and \end{pmatrix} split at "\\". */
    private static List<String> matrixLines(String m) {
        int from = "\\begin{pmatrix}".length();
        int to = m.length() - "\\end{pmatrix}".length();
        String body = to > from ? m.substring(from, to) : "";
        List<String> out = new java.util.ArrayList<>();
        for (String line : PyStr.split(body, "\\\\")) {
            if (!PyStr.strip(line).isEmpty()) {
                out.add(PyStr.strip(line));
            }
        }
        return out;
    }

    private static boolean startsWithAny(String s, List<String> prefixes) {
        return prefixes.stream().anyMatch(s::startsWith);
    }

    private static boolean endsWithAny(String s, List<String> suffixes) {
        return suffixes.stream().anyMatch(s::endsWith);
    }

    /** {@code str_to_pmatrix}: each "{a,b,...}" group as a pmatrix row vector, joined by ", ". */
    static String toPmatrix(String input) {
        List<String> groups = PyRe.findall(BRACED_PAIR, PyStr.strip(input));
        StringBuilder b = new StringBuilder();
        for (String g : groups) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append("\\begin{pmatrix}").append(PyStr.strip(g, "{}").replace(",", "\\")).append("\\end{pmatrix}");
        }
        return b.toString();
    }

    /** {@code symbolic_equal} (a timeout counts as not equal, as the reference's pool does for the whole answer). */
    private boolean symbolicEqual(String a, String b, long deadline) {
        return Boolean.TRUE.equals(symbolic(a, b, deadline));
    }

    /** True / false, or null when the budget ran out. */
    private Boolean symbolic(String a, String b, long deadline) {
        if (a.equals(b)) {
            return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return null;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("grading interrupted");
        }
        SymjaCas.Result r = cas.equal(a.replace("\\\\", "\\"), b.replace("\\\\", "\\"),
                Duration.ofNanos(Math.min(left, Duration.ofDays(1).toNanos())));
        return switch (r) {
            case EQUAL -> true;
            case TIMEOUT -> null;
            default -> false;
        };
    }

    /**
     * {@code parse_digits}: the number after removing commas (Python float()), else a trailing "%" (or "\%") read as
     * a hundredth; null when neither parses.
     */
    static Double parseDigits(String num) {
        String s = num.replace(",", "");
        Double v = PyStr.parseFloat(s);
        if (v != null) {
            return v;
        }
        if (s.endsWith("%")) {
            s = s.substring(0, s.length() - 1);
            if (s.endsWith("\\")) {
                s = s.substring(0, s.length() - 1);
            }
            Double w = PyStr.parseFloat(s);
            if (w != null) {
                return w / 100;
            }
        }
        return null;
    }

    /**
     * {@code numeric_equal}: math.isclose(reference, prediction, rel_tol=1e-4); an infinity or NaN (a literal, or a
     * number that overflowed a double) is never equal here.
     */
    static boolean numericEqual(double prediction, double reference) {
        if (!Double.isFinite(prediction) || !Double.isFinite(reference)) {
            return false;
        }
        if (prediction == reference) {
            return true;
        }
        double diff = Math.abs(reference - prediction);
        return diff <= Math.abs(RTOL * reference) || diff <= Math.abs(RTOL * prediction);
    }
}
