package dev.mipeaks.eval;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises a LaTeX answer the way the common MATH evaluation does (Hendrycks' {@code strip_string} and the
 * "math_normalize" family used by later graders), so that equal answers written differently become the same
 * string: {@code \left}/{@code \right}, {@code \!}, {@code \dfrac}/{@code \tfrac}, {@code \text{...}}, units,
 * degrees, percent, dollar signs, trailing full stops, {@code \frac12}, {@code a/b}, leading-zero decimals,
 * thousands separators, {@code \sqrt2}, spaces. Equation prefixes ({@code x=}) are kept: the grader's equation
 * rule decides those. Stateless and thread-safe.
 */
public final class MathNormalizer {
    private MathNormalizer() {
    }

    // Unit words that may follow a number (\text{ cm}, \mbox{inches}^2, "5 degrees"); lower case.
    private static final String UNITS = "(?:degrees?|cm|centimeters?|mm|millimeters?|m|meters?|km|kilometers?|in|inch(?:es)?"
            + "|ft|feet|foot|yards?|miles?|mph|units?|sq|square|cubic|dollars?|cents?|hours?|hrs?|minutes?|mins?|seconds?"
            + "|secs?|days?|weeks?|months?|years?|grams?|g|kg|kilograms?|pounds?|lbs?|ounces?|oz|liters?|litres?|ml"
            + "|gallons?|people|persons?|students?|times|points?|ways?|pages?|marbles?|eggs?|apples?|feet\\^2|p\\.m\\.|a\\.m\\.)";
    private static final Pattern TEXT_UNIT = Pattern.compile(
            "\\\\(?:text|mbox|textnormal|mathrm)\\{\\s*" + UNITS + "\\s*\\}(?:\\^\\{?[23]\\}?)?\\s*$");
    private static final Pattern SPACE_TEXT_TAIL = Pattern.compile("\\\\(?:text|mbox)\\{ [^{}]*\\}(?:\\^\\{?[23]\\}?)?\\s*$");
    private static final Pattern BARE_UNIT = Pattern.compile("(?<=[0-9}.])\\s+" + UNITS + "(?:\\^\\{?[23]\\}?)?\\s*$");
    private static final Pattern TEXT_CMD = Pattern.compile("\\\\(?:text|textbf|textit|mbox|mathrm|mathbf|textnormal|operatorname)\\s*\\{([^{}]*)\\}");
    private static final Pattern THOUSANDS = Pattern.compile("^-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?$");
    private static final Pattern A_SLASH_B = Pattern.compile("^(-?\\d+)/(\\d+)$");
    private static final Pattern MACRO_SPACE = Pattern.compile("(\\\\[a-zA-Z]+)\\s+(?=[a-zA-Z])");
    private static final Pattern CONTROL_SPACE = Pattern.compile("(?<!\\\\)\\\\ ");
    private static final Pattern IN_PREFIX = Pattern.compile("^[a-zA-Z]\\\\in ?");

    /** The normalised form; null stays null. */
    public static String normalize(String s) {
        if (s == null) {
            return null;
        }
        s = s.replace("\n", " ").replace("\r", " ").trim();
        s = unwrapBoxed(s);
        s = s.replace("\\displaystyle", "").replace("\\!", "");
        s = s.replace("\\,", " ").replace("\\;", " ").replace("\\:", " ").replace("~", " ");
        s = CONTROL_SPACE.matcher(s).replaceAll(" "); // "\\ " but not the row break "\\\\ "
        s = s.replace("tfrac", "frac").replace("dfrac", "frac");
        s = s.replace("\\left", "").replace("\\right", "");
        s = s.replace("\\bigl", "").replace("\\bigr", "").replace("\\Bigl", "").replace("\\Bigr", "");
        s = s.replace("^{\\circ}", "").replace("^\\circ", "").replace("\\circ", "").replace("°", "");
        s = s.replace("\\$", "").replace("$", "");
        s = stripUnits(s);
        s = s.replace("\\%", "").replace("%", "");
        s = replaceTextCommands(s);
        s = s.trim();
        while (s.endsWith(".") && !s.endsWith("\\ldots") && !s.endsWith("...")) {
            s = s.substring(0, s.length() - 1).trim();
        }
        s = s.replace(" .", " 0.").replace("{.", "{0.").replace("(.", "(0.").replace(",.", ",0.").replace("-.", "-0.");
        if (s.startsWith(".")) {
            s = "0" + s;
        }
        s = s.replace("\\infinity", "\\infty").replace("infinity", "\\infty").replace("+\\infty", "\\infty");
        s = s.replace("\\le ", "\\le").replace("\\leq", "\\le").replace("\\geq", "\\ge");
        // drop spaces, but keep one after a macro name before a letter: "\\cot x" must not become "\\cotx"
        s = MACRO_SPACE.matcher(s).replaceAll("$1\u0000").replace(" ", "").replace('\u0000', ' ');
        s = IN_PREFIX.matcher(s).replaceFirst("");
        s = fixSqrt(s);
        s = fixFracs(s);
        s = s.replace("_{", "_").replaceAll("_(\\w+)\\}", "_$1"); // 4210_{5} -> 4210_5
        if (THOUSANDS.matcher(s).matches()) {
            s = s.replace(",", "");
        }
        Matcher ab = A_SLASH_B.matcher(s);
        if (ab.matches()) {
            s = "\\frac{" + ab.group(1) + "}{" + ab.group(2) + "}";
            if (s.startsWith("\\frac{-")) {
                s = "-\\frac{" + ab.group(1).substring(1) + "}{" + ab.group(2) + "}";
            }
        }
        // trailing zeros of a plain decimal: 2.50 -> 2.5, 3.0 -> 3
        if (s.matches("-?\\d+\\.\\d*?0+")) {
            s = s.replaceFirst("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return s;
    }

    /** If the whole string is {@code \boxed{X}}, returns X. */
    static String unwrapBoxed(String s) {
        if ((s.startsWith("\\boxed") || s.startsWith("\\fbox"))) {
            String inner = AnswerExtractor.lastBoxed(s);
            if (inner != null && s.endsWith("}") && s.indexOf("\\boxed", 1) < 0) {
                return inner.trim();
            }
        }
        return s;
    }

    /** Removes trailing unit words and {@code \text{ ...}} tails (Hendrycks' _remove_right_units, widened). */
    static String stripUnits(String s) {
        for (int round = 0; round < 3; round++) {
            String before = s;
            Matcher m = TEXT_UNIT.matcher(s);
            if (m.find() && m.start() > 0) {
                s = s.substring(0, m.start()).trim();
            }
            m = SPACE_TEXT_TAIL.matcher(s);
            if (m.find() && m.start() > 0) {
                s = s.substring(0, m.start()).trim();
            }
            m = BARE_UNIT.matcher(s);
            if (m.find() && m.start() > 0) {
                s = s.substring(0, m.start()).trim();
            }
            if (s.equals(before)) {
                break;
            }
        }
        return s;
    }

    static String replaceTextCommands(String s) {
        String prev;
        do {
            prev = s;
            s = TEXT_CMD.matcher(s).replaceAll(mr -> Matcher.quoteReplacement(mr.group(1).trim()));
        } while (!s.equals(prev));
        return s;
    }

    /** {@code \sqrt2} -> {@code \sqrt{2}}, {@code \sqrtx} -> {@code \sqrt{x}} (spaces are already gone). */
    static String fixSqrt(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (true) {
            int at = s.indexOf("\\sqrt", i);
            if (at < 0) {
                b.append(s, i, s.length());
                return b.toString();
            }
            int j = at + 5;
            b.append(s, i, j);
            if (j + 1 < s.length() && s.charAt(j) == ' ') {
                j++; // "\\sqrt x" (a space kept after a macro)
            }
            if (j < s.length() && s.charAt(j) != '{' && s.charAt(j) != '[' && s.charAt(j) != '\\') {
                b.append('{').append(s.charAt(j)).append('}');
                j++;
            }
            i = j;
        }
    }

    /** {@code \frac12} -> {@code \frac{1}{2}}, {@code \frac{270}7} -> {@code \frac{270}{7}}, {@code \frac9{19}}. */
    static String fixFracs(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (true) {
            int at = s.indexOf("\\frac", i);
            if (at < 0) {
                b.append(s, i, s.length());
                return b.toString();
            }
            b.append(s, i, at + 5);
            int j = at + 5;
            for (int arg = 0; arg < 2 && j < s.length(); arg++) {
                if (s.charAt(j) == ' ' && j + 1 < s.length()) {
                    j++; // "\\frac ab"
                }
                char c = s.charAt(j);
                if (c == '{') {
                    int end = matchBrace(s, j);
                    if (end < 0) {
                        b.append(s, j, s.length());
                        return b.toString();
                    }
                    b.append(s, j, end + 1);
                    j = end + 1;
                } else if (c == '\\') {
                    // \frac\pi2: a macro argument
                    int k = j + 1;
                    while (k < s.length() && Character.isLetter(s.charAt(k))) {
                        k++;
                    }
                    b.append('{').append(s, j, k).append('}');
                    j = k;
                } else {
                    b.append('{').append(c).append('}');
                    j++;
                }
            }
            i = j;
        }
    }

    /** Index of the brace closing the one at {@code open}, or -1. */
    static int matchBrace(String s, int open) {
        int depth = 0;
        for (int k = open; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 1 < s.length() && (s.charAt(k + 1) == '{' || s.charAt(k + 1) == '}')) {
                k++;
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return k;
            }
        }
        return -1;
    }
}
