package dev.mipeaks.eval;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls the final answer out of a model response, in this order: the last {@code \boxed{...}} / {@code \fbox{...}}
 * (braces matched, nested braces kept; also {@code \boxed 5}), then the text after the last "final answer is", then
 * after the last "the answer is", then the last number in the text. Stateless and thread-safe.
 */
public final class AnswerExtractor {
    /** How an answer was found. */
    public enum Method { BOXED, FINAL_ANSWER, THE_ANSWER, LAST_NUMBER, NONE }

    /** The extracted answer text (null when none) and how it was found. */
    public record Extraction(String answer, Method method) {
    }

    private static final Pattern FINAL = Pattern.compile("final answer is[:\\s]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern THE = Pattern.compile("the answer is[:\\s]*", Pattern.CASE_INSENSITIVE);
    // Numbers with optional thousands separators, decimals, a leading minus; also .5 and 3/4.
    private static final Pattern NUMBER = Pattern.compile(
            "-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:/\\d+)?|-?\\.\\d+");

    private AnswerExtractor() {
    }

    public static Extraction extract(String response) {
        if (response == null) {
            return new Extraction(null, Method.NONE);
        }
        String boxed = lastBoxed(response);
        if (boxed != null) {
            return new Extraction(boxed.trim(), Method.BOXED);
        }
        String after = afterLast(response, FINAL);
        if (after != null) {
            return new Extraction(after, Method.FINAL_ANSWER);
        }
        after = afterLast(response, THE);
        if (after != null) {
            return new Extraction(after, Method.THE_ANSWER);
        }
        String num = null;
        Matcher m = NUMBER.matcher(response);
        while (m.find()) {
            num = m.group();
        }
        return num == null ? new Extraction(null, Method.NONE) : new Extraction(num, Method.LAST_NUMBER);
    }

    /**
     * The content of the last {@code \boxed{...}}, {@code \boxed ...} or {@code \fbox{...}} in {@code s}, or null.
     * An unclosed brace (a truncated response) counts as no box.
     */
    public static String lastBoxed(String s) {
        int at = Math.max(s.lastIndexOf("\\boxed"), s.lastIndexOf("\\fbox"));
        while (at >= 0) {
            String r = boxedAt(s, at);
            if (r != null) {
                return r;
            }
            int prev = Math.max(s.lastIndexOf("\\boxed", at - 1), s.lastIndexOf("\\fbox", at - 1));
            at = prev;
        }
        return null;
    }

    private static String boxedAt(String s, int at) {
        int i = at + (s.startsWith("\\boxed", at) ? 6 : 5);
        if (i < s.length() && Character.isLetter(s.charAt(i))) {
            return null; // \boxedx is another macro
        }
        int j = i;
        while (j < s.length() && (s.charAt(j) == ' ')) {
            j++;
        }
        if (j < s.length() && s.charAt(j) == '{') {
            int depth = 0;
            for (int k = j; k < s.length(); k++) {
                char c = s.charAt(k);
                if (c == '\\' && k + 1 < s.length()) {
                    k++; // \{ and \} do not count
                    continue;
                }
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return s.substring(j + 1, k);
                }
            }
            return null;
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
    private static String afterLast(String s, Pattern p) {
        Matcher m = p.matcher(s);
        int end = -1;
        while (m.find()) {
            end = m.end();
        }
        if (end < 0) {
            return null;
        }
        String rest = s.substring(end);
        int nl = rest.indexOf('\n');
        if (nl >= 0) {
            rest = rest.substring(0, nl);
        }
        rest = rest.trim();
        // "The answer is 42. Done" -> "42": cut at a sentence end (". " followed by a capital, or end)
        Matcher sentence = Pattern.compile("\\.\\s+[A-Z]").matcher(rest);
        if (sentence.find()) {
            rest = rest.substring(0, sentence.start());
        }
        while (rest.endsWith(".") || rest.endsWith("$") && !rest.startsWith("$")) {
            rest = rest.substring(0, rest.length() - 1).trim();
        }
        if (rest.startsWith("$") && rest.endsWith("$") && rest.length() >= 2) {
            rest = rest.substring(1, rest.length() - 1).trim();
        }
        rest = rest.replaceAll("\\.$", "").trim();
        return rest.isEmpty() ? null : rest;
    }
}
