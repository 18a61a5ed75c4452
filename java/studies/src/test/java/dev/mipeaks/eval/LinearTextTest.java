package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The linear-time rewrites of extraction and normalisation steps give what the earlier (quadratic or worse)
 * versions gave: each is compared with the earlier code, kept here as the reference, on many random short strings
 * over the characters that matter to it; and each runs on a long adversarial input under a time limit.
 */
class LinearTextTest {
    private static final int ROUNDS = 20_000;

    /**
     * Runs {@code check} on {@link #ROUNDS} random strings (seeded by {@code seed}), each of fewer than
     * {@code maxPieces} pieces drawn from {@code alphabet}.
     */
    private static void forRandomStrings(long seed, int maxPieces, String[] alphabet, Consumer<String> check) {
        Random r = new Random(seed);
        for (int i = 0; i < ROUNDS; i++) {
            int n = r.nextInt(maxPieces);
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < n; k++) {
                b.append(alphabet[r.nextInt(alphabet.length)]);
            }
            check.accept(b.toString());
        }
    }

    // ---- the earlier implementations (reference) ----

    static String oldLastBoxed(String s) {
        int at = Math.max(s.lastIndexOf("\\boxed"), s.lastIndexOf("\\fbox"));
        while (at >= 0) {
            String r = oldBoxedAt(s, at);
            if (r != null) {
                return r;
            }
            at = Math.max(s.lastIndexOf("\\boxed", at - 1), s.lastIndexOf("\\fbox", at - 1));
        }
        return null;
    }

    private static String oldBoxedAt(String s, int at) {
        int i = at + (s.startsWith("\\boxed", at) ? 6 : 5);
        if (i < s.length() && Character.isLetter(s.charAt(i))) {
            return null;
        }
        int j = i;
        while (j < s.length() && s.charAt(j) == ' ') {
            j++;
        }
        if (j < s.length() && s.charAt(j) == '{') {
            int depth = 0;
            for (int k = j; k < s.length(); k++) {
                char c = s.charAt(k);
                if (c == '\\' && k + 1 < s.length()) {
                    k++;
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
        if (j > i && j < s.length()) {
            int k = j;
            while (k < s.length() && s.charAt(k) != '$' && !Character.isWhitespace(s.charAt(k))) {
                k++;
            }
            return k > j ? s.substring(j, k) : null;
        }
        return null;
    }

    private static final Pattern OLD_TEXT_CMD = Pattern.compile(
            "\\\\(?:text|textbf|textit|mbox|mathrm|mathbf|textnormal|operatorname)\\s*\\{([^{}]*)\\}");

    static String oldReplaceTextCommands(String s) {
        String prev;
        do {
            prev = s;
            s = OLD_TEXT_CMD.matcher(s).replaceAll(mr -> Matcher.quoteReplacement(mr.group(1).trim()));
        } while (!s.equals(prev));
        return s;
    }

    static String oldStripDecimalZeros(String s) {
        if (s.matches("-?\\d+\\.\\d*?0+")) {
            s = s.replaceFirst("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return s;
    }

    static String oldStripTrailingFullStops(String s) {
        while (s.endsWith(".") && !s.endsWith("\\ldots") && !s.endsWith("...")) {
            s = s.substring(0, s.length() - 1).trim();
        }
        return s;
    }

    private static final Pattern OLD_WORDS = Pattern.compile("^[A-Za-z]{3,}(?:[ '-]?[A-Za-z]+)*$");

    // ---- equivalence on random strings ----

    @Test
    void lastBoxedEqualsTheEarlierScan() {
        String[] alphabet = {"\\boxed", "\\fbox", "\\boxedx", "{", "}", "{", "}", "\\", "\\{", "\\}", " ", "a", "1",
            "$", "\n"};
        forRandomStrings(1, 14, alphabet, s -> {
            assertEquals(oldLastBoxed(s), AnswerExtractor.lastBoxed(s), "[" + s + "]");
        });
    }

    @Test
    void textCommandsEqualTheEarlierRewrite() {
        String[] alphabet = {"\\text", "\\textbf", "\\mbox", "\\mathrm ", "\\texttt", "\\te", "xt", "{", "}", "{",
            "}", "\\", " ", "a", "5", "\\{"};
        forRandomStrings(2, 14, alphabet, s -> {
            assertEquals(oldReplaceTextCommands(s), MathNormalizer.replaceTextCommands(s, Budget.unlimited()),
                    "[" + s + "]");
        });
    }

    @Test
    void decimalZerosAndFullStopsEqualTheEarlierRegexes() {
        String[] alphabet = {"0", "0", "1", "5", ".", "-", " ", "\\ldots", "x"};
        forRandomStrings(3, 10, alphabet, s -> {
            assertEquals(oldStripDecimalZeros(s), MathNormalizer.stripDecimalZeros(s), "[" + s + "]");
            String t = s.trim();
            assertEquals(oldStripTrailingFullStops(t), MathNormalizer.stripTrailingFullStops(t), "[" + t + "]");
        });
    }

    @Test
    void subscriptBracesEqualTheEarlierRegex() {
        String[] alphabet = {"_", "_", "a", "5", "}", "{", " ", "\\", "é"};
        forRandomStrings(4, 12, alphabet, s -> {
            assertEquals(s.replaceAll("_(\\w+)\\}", "_$1"), MathNormalizer.unbraceSubscripts(s), "[" + s + "]");
        });
    }

    @Test
    void wordsEqualTheEarlierRegex() {
        String[] alphabet = {"a", "B", "z", " ", "'", "-", "1", "é"};
        forRandomStrings(5, 9, alphabet, s -> {
            assertEquals(OLD_WORDS.matcher(s).matches(), MathGrader.isWords(s), "[" + s + "]");
        });
    }

    // ---- long inputs ----

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void longInputsAreFast() {
        int n = 400_000;
        assertEquals("7", AnswerExtractor.lastBoxed("\\boxed{7}" + "\\boxed{".repeat(n)));
        assertEquals(null, AnswerExtractor.lastBoxed("\\fbox{".repeat(n)));
        assertEquals("5", MathNormalizer.replaceTextCommands(AdversarialAnswers.nested("\\text{", n, "5"),
                Budget.unlimited()));
        assertEquals("0." + "0".repeat(n) + "1", MathNormalizer.stripDecimalZeros("0." + "0".repeat(n) + "1"));
        assertEquals("0", MathNormalizer.stripDecimalZeros("0." + "0".repeat(n)));
        assertEquals("5", MathNormalizer.stripTrailingFullStops("5" + " .".repeat(n)));
        assertEquals("_".repeat(n) + "x", MathNormalizer.unbraceSubscripts("_".repeat(n) + "x}"));
        assertTrue(!MathGrader.isWords("a".repeat(n) + "1"));
        AnswerExtractor.Extraction e = AnswerExtractor.extract("The answer is 5" + ".".repeat(n));
        assertEquals("5", e.answer());
        assertEquals(AnswerExtractor.Method.THE_ANSWER, e.method());
        assertEquals("0", MathNormalizer.normalize("0." + "0".repeat(n)));
    }
}
