package dev.mipeaks.eval;

import dev.mipeaks.PyStr;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The reference's answer extraction (MI-Peaks applications/parser.py, from the Qwen2.5-Math evaluation), in its
 * order: a minerva "final answer is $...$. I hope" sentence; else the text after the last "boxed" (braces matched;
 * "boxed 5$" up to the next "$"); else after the last "he answer is"; else after the last "final answer is"; else
 * the first "答案是"; else the last number ({@code -?\d*\.?\d+}) with thousands commas removed. Then line breaks
 * with the whitespace after them go, one leading ":" and one trailing "." and "/" go, and {@link PaperNormalizer}
 * runs. Stateless.
 */
public final class PaperExtractor {
    /** The extracted prediction ("" when nothing was found) and how it was found. */
    public record Extraction(String answer, AnswerExtractor.Method method) {
    }

    private static final Pattern LAST_NUMBER = PyRe.compile("-?\\d*\\.?\\d+");
    private static final Pattern NEWLINE_SPACE = PyRe.compile("\\n\\s*");
    private static final Pattern CHOICE = PyRe.compile("\\b(A|B|C|D|E)\\b");
    private static final Pattern TRIGGERS = PyRe.compile("choice is|answer is");
    private static final List<String> CHOICES = List.of("A", "B", "C", "D", "E");

    private PaperExtractor() {
    }

    /** {@code extract_answer(pred_str, data_name, use_last_number=True)} for a data set without special rules. */
    public static Extraction extract(String predStr) {
        String s = predStr.replace("\u043a\u0438", "");
        String pred;
        AnswerExtractor.Method method;
        if (s.contains("final answer is $") && s.contains("$. I hope")) {
            String tmp = PyStr.split(s, "final answer is $", 1).get(1);
            pred = PyStr.strip(PyStr.split(tmp, "$. I hope", 1).get(0));
            method = AnswerExtractor.Method.FINAL_ANSWER;
        } else if (s.contains("boxed")) {
            List<String> parts = PyStr.split(s, "boxed");
            String ans = parts.get(parts.size() - 1);
            if (ans.isEmpty()) {
                return new Extraction("", AnswerExtractor.Method.BOXED);
            }
            pred = ans.charAt(0) == '{' ? braced(ans) : PyStr.strip(PyStr.split(ans, "$").get(0));
            method = AnswerExtractor.Method.BOXED;
        } else if (s.contains("he answer is")) {
            List<String> parts = PyStr.split(s, "he answer is");
            pred = PyStr.strip(parts.get(parts.size() - 1));
            method = AnswerExtractor.Method.THE_ANSWER;
        } else if (s.contains("final answer is")) {
            List<String> parts = PyStr.split(s, "final answer is");
            pred = PyStr.strip(parts.get(parts.size() - 1));
            method = AnswerExtractor.Method.FINAL_ANSWER;
        } else if (s.contains("答案是")) {
            pred = PyStr.strip(PyStr.split(PyStr.strip(PyStr.split(s, "答案是").get(1)), "\n\n").get(0));
            method = AnswerExtractor.Method.THE_ANSWER;
        } else {
            List<String> nums = PyRe.findall(LAST_NUMBER, s.replace(",", ""));
            pred = nums.isEmpty() ? "" : nums.get(nums.size() - 1);
            method = nums.isEmpty() ? AnswerExtractor.Method.NONE : AnswerExtractor.Method.LAST_NUMBER;
        }
        pred = PyRe.sub(NEWLINE_SPACE, "", pred);
        if (!pred.isEmpty() && pred.charAt(0) == ':') {
            pred = pred.substring(1);
        }
        if (!pred.isEmpty() && pred.charAt(pred.length() - 1) == '.') {
            pred = pred.substring(0, pred.length() - 1);
        }
        if (!pred.isEmpty() && pred.charAt(pred.length() - 1) == '/') {
            pred = pred.substring(0, pred.length() - 1);
        }
        return new Extraction(PaperNormalizer.stripString(pred, false), method);
    }

    /** The text inside the brace that opens {@code ans}, to its matching brace (or to the end when unclosed). */
    private static String braced(String ans) {
        int stack = 1;
        StringBuilder a = new StringBuilder();
        for (int i = 1; i < ans.length(); i++) {
            char c = ans.charAt(i);
            if (c == '{') {
                stack++;
            } else if (c == '}') {
                stack--;
                if (stack == 0) {
                    break;
                }
            }
            a.append(c);
        }
        return a.toString();
    }

    /** parser.py's {@code choice_answer_clean}: the choice letter of a response (the run scripts' fallback for a letter ground truth). */
    public static String choiceOfResponse(String response) {
        String pred = PyStr.strip(response, "\n");
        boolean icl = PyStr.count(pred, "choice is") > 1 || PyStr.count(pred, "answer is") > 1;
        if (icl) {
            pred = PyStr.split(pred, "\n\n").get(0);
        }
        List<String> preds = PyRe.split(TRIGGERS, pred);
        boolean flag = preds.size() > 1;
        if (flag) {
            pred = preds.get(preds.size() - 1);
        }
        pred = PyStr.lstrip(PyStr.strip(PyStr.rstrip(PyStr.rstrip(PyStr.strip(pred, "\n"), "."), "/"), " "), ":");
        List<String> letters = PyRe.findall(CHOICE, pred.toUpperCase(Locale.ROOT));
        if (letters.isEmpty()) {
            letters = List.of(PyStr.strip(PyStr.strip(pred), "."));
        }
        pred = flag ? letters.get(0) : letters.get(letters.size() - 1);
        return PyStr.rstrip(PyStr.rstrip(pred, "."), "/");
    }

    /** grader.py's own {@code choice_answer_clean} (math_equal's letter check): the last letter A-E standing alone. */
    public static String choiceOfPrediction(String prediction) {
        String pred = PyStr.lstrip(PyStr.strip(PyStr.rstrip(PyStr.rstrip(PyStr.strip(prediction, "\n"), "."), "/"), " "),
                ":");
        List<String> letters = PyRe.findall(CHOICE, pred.toUpperCase(Locale.ROOT));
        String last = letters.isEmpty() ? PyStr.strip(PyStr.strip(pred), ".") : letters.get(letters.size() - 1);
        return PyStr.rstrip(PyStr.rstrip(last, "."), "/");
    }

    /** Whether every character is one of A-E (the run scripts' is_multi_choice; true for ""). */
    static boolean isMultiChoice(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!CHOICES.contains(String.valueOf(s.charAt(i)))) {
                return false;
            }
        }
        return true;
    }

    static boolean isChoice(String s) {
        return CHOICES.contains(s);
    }
}
