package dev.mipeaks.eval;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls the final answer out of a model response, in this order: the last {@code \boxed{...}} / {@code \fbox{...}}
 * (braces matched, nested braces kept; also {@code \boxed 5}), then the text after the last "final answer is", then
 * after the last "the answer is", then the last number in the text. Every step is linear in the response's length
 * (one pass each, whatever the text: thousands of unclosed boxes, megabyte lines). Stateless and thread-safe.
 */
public final class AnswerExtractor {
    /** How an answer was found. */
    public enum Method { BOXED, FINAL_ANSWER, THE_ANSWER, LAST_NUMBER, NONE }

    /** The extracted answer text (null when none) and how it was found. */
    public record Extraction(String answer, Method method) {
    }

    private static final String STAGE = "extraction";
    private static final Pattern FINAL = Pattern.compile("final answer is[:\\s]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern THE = Pattern.compile("the answer is[:\\s]*", Pattern.CASE_INSENSITIVE);
    // Numbers with optional thousands separators, decimals, a leading minus; also .5 and 3/4.
    private static final Pattern NUMBER = Pattern.compile(
            "-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:/\\d+)?|-?\\.\\d+");
    // "The answer is 42. Done" -> "42": a sentence end is ". " followed by a capital
    private static final Pattern SENTENCE_END = Pattern.compile("\\.\\s+[A-Z]");

    private AnswerExtractor() {
    }

    public static Extraction extract(String response) {
        return extract(response, Budget.unlimited());
    }

    /** {@link #extract(String)} within {@code budget} (throws {@link Budget.Exceeded} past it). */
    public static Extraction extract(String response, Budget budget) {
        if (response == null) {
            return new Extraction(null, Method.NONE);
        }
        String boxed = lastBoxed(response, budget);
        if (boxed != null) {
            return new Extraction(boxed.trim(), Method.BOXED);
        }
        String after = afterLast(response, FINAL, budget);
        if (after != null) {
            return new Extraction(after, Method.FINAL_ANSWER);
        }
        after = afterLast(response, THE, budget);
        if (after != null) {
            return new Extraction(after, Method.THE_ANSWER);
        }
        int start = -1;
        int end = -1;
        Matcher m = NUMBER.matcher(budget.guard(response, STAGE));
        while (m.find()) {
            start = m.start();
            end = m.end();
        }
        return start < 0 ? new Extraction(null, Method.NONE)
                : new Extraction(response.substring(start, end), Method.LAST_NUMBER);
    }

    /**
     * The content of the last {@code \boxed{...}}, {@code \boxed ...} or {@code \fbox{...}} in {@code s}, or null.
     * An unclosed brace (a truncated response) counts as no box: the box before it is taken.
     */
    public static String lastBoxed(String s) {
        return lastBoxed(s, Budget.unlimited());
    }

    static String lastBoxed(String s, Budget budget) {
        // the opening brace right after each \boxed / \fbox (or -1 for "\boxed 5" and "\boxedx"), in text order
        int[] macro = new int[8];
        int[] brace = new int[8];
        int n = 0;
        for (int at = s.indexOf('\\'); at >= 0; at = s.indexOf('\\', at + 1)) {
            budget.tick(STAGE);
            int len = s.startsWith("boxed", at + 1) ? 6 : s.startsWith("fbox", at + 1) ? 5 : 0;
            if (len == 0) {
                continue;
            }
            if (n == macro.length) {
                macro = java.util.Arrays.copyOf(macro, 2 * n);
                brace = java.util.Arrays.copyOf(brace, 2 * n);
            }
            int j = at + len;
            while (j < s.length() && s.charAt(j) == ' ') {
                j++;
            }
            macro[n] = at;
            brace[n] = j < s.length() && s.charAt(j) == '{' ? j : -1;
            n++;
        }
        if (n == 0) {
            return null;
        }
        int[] close = closingBraces(s, brace, n, budget);
        for (int c = n - 1; c >= 0; c--) {
            String r = boxedAt(s, macro[c], brace[c], close[c]);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /**
     * For each opening brace in {@code opens[0..n)} (ascending; -1 = none), the index of the brace that closes it,
     * or -1: one pass with a stack, where a backslash escapes the next character ({@code \{ \}} do not count).
     */
    private static int[] closingBraces(String s, int[] opens, int n, Budget budget) {
        int[] close = new int[n];
        java.util.Arrays.fill(close, -1);
        int first = -1;
        for (int c = 0; c < n && first < 0; c++) {
            first = opens[c];
        }
        if (first < 0) {
            return close;
        }
        // stack of open braces: their position and, when it is one of ours, its candidate index (else -1)
        int[] stackCand = new int[16];
        int depth = 0;
        int next = 0; // next candidate to meet
        for (int k = first; k < s.length(); k++) {
            budget.tick(STAGE);
            char ch = s.charAt(k);
            if (ch == '\\' && k + 1 < s.length()) {
                k++;
                continue;
            }
            if (ch == '{') {
                if (depth == stackCand.length) {
                    stackCand = java.util.Arrays.copyOf(stackCand, 2 * depth);
                }
                while (next < n && opens[next] < k) {
                    next++; // no box, or (never for a brace after a letter or space) a brace the scan skipped
                }
                int cand = next < n && opens[next] == k ? next++ : -1;
                stackCand[depth++] = cand;
            } else if (ch == '}' && depth > 0) {
                int cand = stackCand[--depth];
                if (cand >= 0) {
                    close[cand] = k;
                }
            }
        }
        return close;
    }

    private static String boxedAt(String s, int at, int open, int close) {
        int i = at + (s.startsWith("\\boxed", at) ? 6 : 5);
        if (i < s.length() && Character.isLetter(s.charAt(i))) {
            return null; // \boxedx is another macro
        }
        if (open >= 0) {
            return close < 0 ? null : s.substring(open + 1, close);
        }
        int j = i;
        while (j < s.length() && s.charAt(j) == ' ') {
            j++;
        }
        if (j > i && j < s.length()) { // "\boxed 5": up to the next $ or whitespace
            int k = j;
            while (k < s.length() && s.charAt(k) != '$' && !Character.isWhitespace(s.charAt(k))) {
                k++;
            }
            return k > j ? s.substring(j, k) : null;
        }
        return null;
    }

    /** Text after the last match of {@code p}, up to the end of that line, without a trailing full stop. */
    private static String afterLast(String s, Pattern p, Budget budget) {
        Matcher m = p.matcher(budget.guard(s, STAGE));
        int end = -1;
        while (m.find()) {
            end = m.end();
        }
        if (end < 0) {
            return null;
        }
        int nl = s.indexOf('\n', end);
        String rest = s.substring(end, nl < 0 ? s.length() : nl).trim();
        Matcher sentence = SENTENCE_END.matcher(budget.guard(rest, STAGE));
        if (sentence.find()) {
            rest = rest.substring(0, sentence.start());
        }
        // trailing full stops and a closing $ (without its opening one); index arithmetic, not a copy per char
        int b = rest.length();
        boolean opensWithDollar = rest.startsWith("$");
        while (b > 0 && (rest.charAt(b - 1) == '.' || rest.charAt(b - 1) == '$' && !opensWithDollar
                || Character.isWhitespace(rest.charAt(b - 1)))) {
            b--;
        }
        rest = rest.substring(0, b);
        if (rest.startsWith("$") && rest.endsWith("$") && rest.length() >= 2) {
            rest = rest.substring(1, rest.length() - 1).trim();
        }
        if (rest.endsWith(".")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        rest = rest.trim();
        return rest.isEmpty() ? null : rest;
    }
}
