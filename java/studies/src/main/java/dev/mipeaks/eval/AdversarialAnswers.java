package dev.mipeaks.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inputs that used to fool or stall the grader, with what it must answer now: numbers past the range of a double
 * (which once matched any numeric answer), and text on which extraction or normalisation was quadratic or worse
 * (nested {@code \text{}}, unclosed {@code \boxed{}}, long runs of zeros, megabyte lines, deep braces, unbalanced
 * {@code \left(}, huge powers for the CAS). {@code GraderAdversarialTest} runs it under a time limit, and
 * {@link #writeFiles} turns it into a dataset and a predictions file for {@code mipeaks grade} (the grader bench,
 * {@code bench/RESULTS.md}, and {@code GradeLimitsCommandTest}).
 */
public final class AdversarialAnswers {
    private AdversarialAnswers() {
    }

    /**
     * One case.
     *
     * @param name       what it is
     * @param isResponse true: {@code text} is a whole response (the answer is extracted); false: an answer
     * @param text       the response or answer
     * @param truth      the ground truth
     * @param correct    the verdict it must get, or null where any verdict will do (only the time matters)
     * @param rule       the rule that must decide, or null for any
     */
    public record Case(String name, boolean isResponse, String text, String truth, Boolean correct, Rule rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** 1 MiB. */
    public static final int MB = 1 << 20;

    /** The set (about 8 MB of text; built on each call). */
    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        String digits309 = "1" + "0".repeat(309);
        String nines400 = "9".repeat(400);

        // numbers that overflow a double: once Infinity (or 0), equal to any other overflowed value
        c.add(answer("309-digit integer vs 5", digits309, "5", false, Rule.NUMERIC));
        c.add(answer("1e400 vs 5", "1e400", "5", false, Rule.NUMERIC));
        c.add(answer("1e400 vs -3", "1e400", "-3", false, Rule.NUMERIC));
        c.add(answer("1e400 vs 1/2", "1e400", "\\frac{1}{2}", false, Rule.NUMERIC));
        c.add(answer("1e400 vs a tuple", "1e400", "(1,2)", false, Rule.TUPLE));
        c.add(answer("1e400 vs 5%", "1e400", "5\\%", false, Rule.NUMERIC));
        c.add(answer("1e400% vs 5", "1e400\\%", "5", false, Rule.NUMERIC));
        c.add(answer("-1e400 vs -7", "-1e400", "-7", false, Rule.NUMERIC));
        c.add(answer("1e-400 vs 0", "1e-400", "0", false, Rule.NUMERIC));
        c.add(answer("1e400 vs 1 and 400 zeros", "1e400", "1" + "0".repeat(400), true, Rule.NUMERIC));
        c.add(answer("30-digit neighbours", "123456789012345678901234567890", "123456789012345678901234567891",
                false, Rule.NUMERIC));
        c.add(answer("400-digit fraction equal to 1", "\\frac{" + nines400 + "}{" + nines400 + "}", "1", true,
                Rule.NUMERIC));
        c.add(answer("1 over a 400-digit number vs 0", "\\frac{1}{" + nines400 + "}", "0", false, Rule.NUMERIC));
        c.add(answer("2.5 x 10^400 vs 2.5 x 10^401", "2.5\\times10^{400}", "2.5\\times10^{401}", false,
                Rule.NUMERIC));
        c.add(answer("exponent past the int range", "1\\times10^{99999999999}", "5", false, Rule.NUMERIC));
        c.add(answer("exponent past the long range, equal", "1e99999999999999999999", "1e99999999999999999999", true,
                Rule.STRING));
        c.add(answer("5000-digit exponent vs 5", "1\\times10^{" + "9".repeat(5000) + "}", "5", false, Rule.NUMERIC));
        c.add(response("response ending in a 309-digit number", "so the value is " + "9".repeat(309), "7", false,
                Rule.NUMERIC));
        c.add(answer("1e400 vs infinity", "1e400", "\\infty", false, null));
        c.add(answer("10^400 vs 10^400 + 1 (CAS)", "10^{400}", "10^{400}+1", false, Rule.CAS));
        c.add(answer("x + 10^20 vs x + 10^20 + 1 (CAS)", "x+10^{20}", "x+10^{20}+1", false, Rule.CAS));
        c.add(answer("2^99999999 vs 5 (CAS)", "2^{99999999}", "5", false, null));
        c.add(answer("9^(9^9) vs 5 (CAS)", "9^{9^{9}}", "5", false, null));

        // text that made extraction or normalisation quadratic or worse
        c.add(answer("0. and 200k zeros (over the cap)", "0." + "0".repeat(200_000), "0", false, Rule.UNDECIDED));
        c.add(response("response: the answer is 0. and 200k zeros", "The answer is 0." + "0".repeat(200_000), "0",
                false, Rule.UNDECIDED));
        c.add(answer("0. and 9000 zeros then 1", "0." + "0".repeat(9000) + "1", "0", false, Rule.NUMERIC));
        c.add(answer("0. and 9990 zeros", "0." + "0".repeat(9990), "0", true, Rule.STRING));
        c.add(answer("20k nested \\text{ (over the cap)", nested("\\text{", 20_000, "5"), "5", false,
                Rule.UNDECIDED));
        c.add(answer("1400 nested \\text{", nested("\\text{", 1400, "5"), "5", true, Rule.STRING));
        c.add(answer("1200 nested \\text{ with spaces", nested("\\text{ ", 1200, "5 "), "5", true, Rule.STRING));
        c.add(response("response: 40k unclosed \\boxed{", "\\boxed{".repeat(40_000) + "5", "5", true, null));
        c.add(response("response: a box, then 40k unclosed \\boxed{", "\\boxed{7} " + "\\boxed{".repeat(40_000), "7",
                true, Rule.STRING));
        c.add(response("response: 40k unclosed \\boxed{ and \\fbox", "\\boxed{\\fbox{".repeat(40_000) + "x", "5",
                false, null));
        c.add(response("response: 40k empty \\boxed{}", "\\boxed{} ".repeat(40_000), "5", false, null));
        c.add(response("response: a 1 MB line after 'final answer is'", "The final answer is " + "ab ".repeat(MB / 3),
                "5", false, Rule.UNDECIDED));
        c.add(response("response: 1 MB of digits", "1".repeat(MB), "1", false, Rule.UNDECIDED));
        c.add(response("response: 1 MB of thousands groups", "1" + ",000".repeat(MB / 4), "1", false,
                Rule.UNDECIDED));
        c.add(response("response: 1 MB of prose, then a box", "we think again. ".repeat(MB / 16) + "\\boxed{42}", "42",
                true, Rule.STRING));
        c.add(response("response: 1 MB of 'final answer is'", "final answer is ".repeat(MB / 16), "5", false, null));
        c.add(response("response: the answer is 5 and 500k full stops", "The answer is 5" + ".".repeat(500_000), "5",
                true, Rule.STRING));
        c.add(response("response: 1 MB of \\fbox$", "\\fbox$".repeat(MB / 6), "5", false, null));
        c.add(response("response: 1 MB of spaces after a full stop", "The answer is 5." + " ".repeat(MB) + "X", "5",
                true, Rule.STRING));
        c.add(answer("100k-deep braces (over the cap)", nested("{", 100_000, "5"), "5", false, Rule.UNDECIDED));
        c.add(answer("4000-deep braces", nested("{", 4000, "5"), "5", null, null));
        c.add(answer("4000-deep parentheses", nested("(", 4000, "5").replace('}', ')'), "5", null, null));
        c.add(answer("1400-deep \\sqrt{", nested("\\sqrt{", 1400, "2"), "2", null, null));
        c.add(answer("1600 unbalanced \\left(", "\\left(".repeat(1600) + "x", "x", null, null));
        c.add(answer("100k unbalanced \\left( (over the cap)", "\\left(".repeat(100_000) + "x", "x", false,
                Rule.UNDECIDED));
        c.add(answer("4000-digit fraction vs its \\dfrac", "\\frac{" + "1".repeat(4000) + "}{" + "3".repeat(4000) + "}",
                "\\dfrac{" + "1".repeat(4000) + "}{" + "3".repeat(4000) + "}", true, Rule.STRING));
        c.add(answer("4000-digit fraction vs one digit less", "\\frac{" + "1".repeat(4000) + "}{" + "3".repeat(4000)
                + "}", "\\frac{" + "1".repeat(3999) + "}{" + "3".repeat(4000) + "}", false, Rule.NUMERIC));
        c.add(answer("9000 letters and a digit", "a".repeat(9000) + "1", "abc", false, null));
        c.add(answer("9000 underscores", "_".repeat(9000) + "x}", "x", false, null));
        c.add(answer("5 and 9000 full stops (an ellipsis stays)", "5" + ".".repeat(9000), "5", false, null));
        c.add(answer("5 and 4500 spaced full stops", "5" + " .".repeat(4500), "5", true, Rule.STRING));
        c.add(answer("9000 spaces between a macro and a letter", "\\alpha" + " ".repeat(9000) + "x", "\\alpha x", true,
                Rule.STRING));
        c.add(answer("unordered list of 800 numbers vs rounded, reversed", numberList(800, false),
                numberList(800, true), null, null));
        c.add(answer("unordered list of 800 decimals vs rounded, reversed", numberList(800, false).replace(",", ".5,")
                + ".5", numberList(800, true).replace(".00001", ".50001"), true, Rule.TUPLE));
        c.add(answer("unordered list of 1800 numbers, same order", numberList(1800, false), numberList(1800, false),
                true, Rule.STRING));
        c.add(answer("tuple of 1500 numbers vs one changed", "(" + numberList(1500, false) + ")",
                "(" + numberList(1500, false).replaceFirst("^1,", "2,") + ")", false, Rule.TUPLE));
        return c;
    }

    /**
     * Writes {@code dataset.jsonl} (one row per case: {@code id}, {@code problem} = the case's name, {@code answer})
     * and {@code predictions.jsonl} (its {@code index} and the text as {@code response} or {@code prediction}) into
     * {@code dir}, for {@code mipeaks grade --predictions DIR/predictions.jsonl --dataset DIR/dataset.jsonl}.
     */
    public static void writeFiles(List<Case> cases, Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        AtomicFiles.write(dir.resolve("dataset.jsonl"), os -> {
            for (int i = 0; i < cases.size(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", "adv" + i);
                row.put("problem", cases.get(i).name());
                row.put("answer", cases.get(i).truth());
                os.write(json.writeValueAsBytes(row));
                os.write('\n');
            }
        });
        AtomicFiles.write(dir.resolve("predictions.jsonl"), os -> {
            for (int i = 0; i < cases.size(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("index", i);
                row.put(cases.get(i).isResponse() ? "response" : "prediction", cases.get(i).text());
                os.write(json.writeValueAsBytes(row));
                os.write('\n');
            }
        });
    }

    /** {@code open} n times, {@code inner}, then n closing braces. */
    static String nested(String open, int n, String inner) {
        return open.repeat(n) + inner + "}".repeat(n);
    }

    /** "1,2,...,n" or, reversed and off by a relative 1e-5 (equal within the tolerance for decimals), "n.00001,...,1.00001". */
    private static String numberList(int n, boolean reversedDecimals) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(reversedDecimals ? (n + 1 - i) + ".00001" : Integer.toString(i));
        }
        return b.toString();
    }

    private static Case answer(String name, String text, String truth, Boolean correct, Rule rule) {
        return new Case(name, false, text, truth, correct, rule);
    }

    private static Case response(String name, String text, String truth, Boolean correct, Rule rule) {
        return new Case(name, true, text, truth, correct, rule);
    }
}
