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
    private static final Pattern THOUSANDS = Pattern.compile("^-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?$");
    private static final Pattern A_SLASH_B = Pattern.compile("^(-?\\d+)/(\\d+)$");
    private static final Pattern MACRO_SPACE = Pattern.compile("(\\\\[a-zA-Z]+)\\s+(?=[a-zA-Z])");
    private static final Pattern CONTROL_SPACE = Pattern.compile("(?<!\\\\)\\\\ ");
    private static final Pattern IN_PREFIX = Pattern.compile("^[a-zA-Z]\\\\in ?");

    private static final String STAGE = "normalisation";

    /**
     * The normalised form; null stays null. Linear in the length of {@code s}, but for nested text commands whose
     * content is copied once per level (length x depth; the grader caps the length of what it normalises).
     */
    public static String normalize(String s) {
        return normalize(s, Budget.unlimited());
    }

    /** {@link #normalize(String)} within {@code budget} (throws {@link Budget.Exceeded} past it). */
    public static String normalize(String s, Budget budget) {
        if (s == null) {
            return null;
        }
        budget.check(STAGE);
        s = s.replace("\n", " ").replace("\r", " ").trim();
        s = unwrapBoxed(s, budget);
        s = s.replace("\\displaystyle", "").replace("\\!", "");
        s = s.replace("\\,", " ").replace("\\;", " ").replace("\\:", " ").replace("~", " ");
        s = CONTROL_SPACE.matcher(budget.guard(s, STAGE)).replaceAll(" "); // "\\ " but not the row break "\\\\ "
        s = s.replace("tfrac", "frac").replace("dfrac", "frac");
        s = s.replace("\\left", "").replace("\\right", "");
        s = s.replace("\\bigl", "").replace("\\bigr", "").replace("\\Bigl", "").replace("\\Bigr", "");
        s = s.replace("^{\\circ}", "").replace("^\\circ", "").replace("\\circ", "").replace("°", "");
        s = s.replace("\\$", "").replace("$", "");
        s = stripUnits(s, budget);
        s = s.replace("\\%", "").replace("%", "");
        s = replaceTextCommands(s, budget);
        s = stripTrailingFullStops(s.trim());
        s = s.replace(" .", " 0.").replace("{.", "{0.").replace("(.", "(0.").replace(",.", ",0.").replace("-.", "-0.");
        if (s.startsWith(".")) {
            s = "0" + s;
        }
        s = s.replace("\\infinity", "\\infty").replace("infinity", "\\infty").replace("+\\infty", "\\infty");
        s = s.replace("\\le ", "\\le").replace("\\leq", "\\le").replace("\\geq", "\\ge");
        // drop spaces, but keep one after a macro name before a letter: "\\cot x" must not become "\\cotx"
        s = MACRO_SPACE.matcher(budget.guard(s, STAGE)).replaceAll("$1\u0000").replace(" ", "").replace('\u0000', ' ');
        s = IN_PREFIX.matcher(s).replaceFirst("");
        budget.check(STAGE);
        s = fixSqrt(s);
        s = fixFracs(s);
        s = unbraceSubscripts(s.replace("_{", "_")); // 4210_{5} -> 4210_5
        budget.check(STAGE);
        if (THOUSANDS.matcher(budget.guard(s, STAGE)).matches()) {
            s = s.replace(",", "");
        }
        Matcher ab = A_SLASH_B.matcher(budget.guard(s, STAGE));
        if (ab.matches()) {
            s = "\\frac{" + ab.group(1) + "}{" + ab.group(2) + "}";
            if (s.startsWith("\\frac{-")) {
                s = "-\\frac{" + ab.group(1).substring(1) + "}{" + ab.group(2) + "}";
            }
        }
        return stripDecimalZeros(s);
    }

    /** Trailing zeros of a plain decimal: 2.50 -> 2.5, 3.0 -> 3 (anything else unchanged). */
    static String stripDecimalZeros(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        int intStart = i;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        if (i == intStart || i >= s.length() - 1 || s.charAt(i) != '.') {
            return s;
        }
        int dot = i;
        for (i = dot + 1; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return s;
            }
        }
        if (s.charAt(s.length() - 1) != '0') {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        return s.substring(0, end == dot + 1 ? dot : end);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Removes trailing full stops (and the spaces before them), but not an ellipsis. */
    static String stripTrailingFullStops(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '.') {
            if (endsWith(s, end, "\\ldots") || endsWith(s, end, "...")) {
                break;
            }
            end--;
            while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
                end--;
            }
        }
        return s.substring(0, end);
    }

    /** Whether {@code s[0, end)} ends with {@code tail}. */
    private static boolean endsWith(String s, int end, String tail) {
        return end >= tail.length() && s.startsWith(tail, end - tail.length());
    }

    /** {@code _5}} -> {@code _5}: a brace closing a subscript word (what {@code _(\w+)\}} -> {@code _$1} does). */
    static String unbraceSubscripts(String s) {
        if (s.indexOf('_') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        int runEnd = -1; // end of the word run that starts at or before the current position, when known
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '_' && i + 1 < s.length() && isWord(s.charAt(i + 1))) {
                if (runEnd <= i) {
                    runEnd = i + 1;
                    while (runEnd < s.length() && isWord(s.charAt(runEnd))) {
                        runEnd++;
                    }
                }
                if (runEnd < s.length() && s.charAt(runEnd) == '}') {
                    b.append(s, i, runEnd); // "_" + the word, without the brace
                    i = runEnd + 1;
                    continue;
                }
            }
            b.append(c);
            i++;
        }
        return b.toString();
    }

    private static boolean isWord(char c) {
        return c == '_' || Character.isLetterOrDigit(c) && c < 128;
    }

    /** If the whole string is {@code \boxed{X}}, returns X. */
    static String unwrapBoxed(String s, Budget budget) {
        if ((s.startsWith("\\boxed") || s.startsWith("\\fbox"))) {
            String inner = AnswerExtractor.lastBoxed(s, budget);
            if (inner != null && s.endsWith("}") && s.indexOf("\\boxed", 1) < 0) {
                return inner.trim();
            }
        }
        return s;
    }

    /** Removes trailing unit words and {@code \text{ ...}} tails (Hendrycks' _remove_right_units, widened). */
    static String stripUnits(String s, Budget budget) {
        for (int round = 0; round < 3; round++) {
            String before = s;
            Matcher m = TEXT_UNIT.matcher(budget.guard(s, STAGE));
            if (m.find() && m.start() > 0) {
                s = s.substring(0, m.start()).trim();
            }
            m = SPACE_TEXT_TAIL.matcher(budget.guard(s, STAGE));
            if (m.find() && m.start() > 0) {
                s = s.substring(0, m.start()).trim();
            }
            m = BARE_UNIT.matcher(budget.guard(s, STAGE));
            if (m.find() && m.start() > 0) {
                s = s.substring(0, m.start()).trim();
            }
            if (s.equals(before)) {
                break;
            }
        }
        return s;
    }

    /**
     * {@code \text{X}} (and {@code \textbf}, {@code \mbox}, {@code \mathrm}, ...) -> X trimmed, innermost first,
     * for every such command whose content has no braces once the commands inside it are gone; what the
     * repeated {@code \\text\{([^{}]*)\}} -> X rewrite does, in one pass with a stack instead of one pass per
     * nesting level. The pass is repeated (at most a few times) only when removing a command joined text into a
     * new one.
     */
    static String replaceTextCommands(String s, Budget budget) {
        for (int pass = 0; pass < 4; pass++) {
            String next = textCommandPass(s, budget);
            if (next.equals(s)) {
                return s;
            }
            s = next;
        }
        return s;
    }

    private static String textCommandPass(String s, Budget budget) {
        if (s.indexOf('{') < 0) {
            return s;
        }
        // frames of the open braces: their opening text ("{" or "\\text {"), content so far, and whether the
        // content holds a brace
        java.util.ArrayList<StringBuilder> content = new java.util.ArrayList<>();
        java.util.ArrayList<String> opener = new java.util.ArrayList<>();
        java.util.ArrayList<Boolean> braced = new java.util.ArrayList<>();
        content.add(new StringBuilder(s.length()));
        opener.add(null);
        braced.add(false);
        int i = 0;
        while (i < s.length()) {
            budget.tick(STAGE);
            char c = s.charAt(i);
            int top = content.size() - 1;
            if (c == '\\') {
                int open = textCommandBrace(s, i);
                if (open >= 0) {
                    content.add(new StringBuilder());
                    opener.add(s.substring(i, open + 1));
                    braced.add(false);
                    i = open + 1;
                    continue;
                }
            }
            if (c == '{') {
                content.add(new StringBuilder());
                opener.add("{");
                braced.add(false);
            } else if (c == '}' && top > 0) {
                StringBuilder inner = content.remove(top);
                String open = opener.remove(top);
                boolean innerBraced = braced.remove(top);
                StringBuilder parent = content.get(top - 1);
                if (!open.equals("{") && !innerBraced) {
                    parent.append(inner.toString().trim());
                } else {
                    parent.append(open).append(inner).append('}');
                    braced.set(top - 1, true);
                }
            } else {
                if (c == '{' || c == '}') {
                    braced.set(top, true);
                }
                content.get(top).append(c);
            }
            i++;
        }
        // unclosed braces stay as they were
        while (content.size() > 1) {
            int top = content.size() - 1;
            StringBuilder inner = content.remove(top);
            content.get(top - 1).append(opener.remove(top)).append(inner);
            braced.remove(top);
            braced.set(top - 1, true);
        }
        return content.get(0).toString();
    }

    private static final String[] TEXT_COMMANDS = {"text", "textbf", "textit", "mbox", "mathrm", "mathbf",
            "textnormal", "operatorname"};

    /** When a text command ({@code \text \{}, spaces allowed) starts at {@code at}: the index of its brace, else -1. */
    private static int textCommandBrace(String s, int at) {
        int k = at + 1;
        while (k < s.length() && Character.isLetter(s.charAt(k))) {
            k++;
        }
        String name = s.substring(at + 1, k);
        boolean known = false;
        for (String t : TEXT_COMMANDS) {
            known |= t.equals(name);
        }
        if (!known) {
            return -1;
        }
        while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
            k++;
        }
        return k < s.length() && s.charAt(k) == '{' ? k : -1;
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
