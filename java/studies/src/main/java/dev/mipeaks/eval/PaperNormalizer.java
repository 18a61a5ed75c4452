package dev.mipeaks.eval;

import dev.mipeaks.PyStr;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reference grader's answer normalisation, {@code strip_string} of MI-Peaks' applications/parser.py (the
 * Qwen2.5-Math evaluation's), step for step with Python's string and regex semantics ({@link PyStr},
 * {@link PyRe}). It is deliberately not "fixed": units are removed by regular expressions in which "." is any
 * character ("a ." also removes "a" + space + any character), single letters that are units ("a", "t", "s", "m",
 * ...) vanish next to non-word characters, "and" and "inf" are replaced inside words, a "j" becomes "i" when there
 * is no "i", and number words are turned into digits ({@link WordNumbers}).
 */
public final class PaperNormalizer {
    /** parser.py's unit_texts (units mainly from MathQA), in its order; each is also tried with an "s" appended. */
    static final List<String> UNIT_TEXTS = unitTexts();
    private static final List<Pattern> UNITS = unitPatterns();
    private static final Pattern ARRAY_BEGIN = PyRe.compile("\\\\begin\\{array\\}\\{.*?\\}");
    private static final Pattern ARRAY_END = PyRe.compile("\\\\end\\{array\\}");
    private static final Pattern TEXT_AT_END = PyRe.compile("\\\\text{.*?}$");
    private static final Pattern TEXT = PyRe.compile("\\\\text\\{(.*?)\\}");
    private static final Pattern MBOX = PyRe.compile("\\\\mbox{.*?}");
    private static final Pattern ZEROS_BEFORE = PyRe.compile("(\\d+)\\.0*([^\\d])");
    private static final Pattern ZEROS_AT_END = PyRe.compile("(\\d+)\\.0*$");
    private static final Pattern SQRT = PyRe.compile("\\\\sqrt(\\w+)");

    private PaperNormalizer() {
    }

    private static List<String> unitTexts() {
        List<String> u = new ArrayList<>(List.of(
                "east", "degree", "mph", "kmph", "ft", "m sqaure", " m east", "sq m", "deg", "mile", "q .", "monkey",
                "prime", "ratio", "profit of rs", "rd", "o", "gm", "p . m", "lb", "tile", "per", "dm", "lt", "gain",
                "ab", "way", "west", "a .", "b .", "c .", "d .", "e .", "f .", "g .", "h .", "t", "a", "h", "no change",
                "men", "soldier", "pie", "bc", "excess", "st", "inches", "noon", "percent", "by", "gal", "kmh", "c",
                "acre", "rise", "a . m", "th", "π r 2", "sq", "mark", "l", "toy", "coin", "sq . m", "gallon", "° f",
                "profit", "minw", "yr", "women", "feet", "am", "pm", "hr", "cu cm", "square", "v â € ™", "are", "rupee",
                "rounds", "cubic", "cc", "mtr", "s", "ohm", "number", "kmph", "day", "hour", "minute", "min", "second",
                "man", "woman", "sec", "cube", "mt", "sq inch", "mp", "∏ cm ³", "hectare", "more", "sec", "unit",
                "cu . m", "cm 2", "rs .", "rs", "kg", "g", "month", "km", "m", "cm", "mm", "apple", "liter", "loss",
                "yard", "pure", "year", "increase", "decrease", "d", "less", "Surface", "litre", "pi sq m", "s .",
                "metre", "meter", "inch"));
        int n = u.size();
        for (int i = 0; i < n; i++) {
            u.add(u.get(i) + "s");
        }
        return List.copyOf(u);
    }

    private static List<Pattern> unitPatterns() {
        List<Pattern> p = new ArrayList<>();
        for (String u : UNIT_TEXTS) {
            p.add(PyRe.compile("(^|\\W)" + u + "($|\\W)")); // the unit is a regex, as in the reference
        }
        return List.copyOf(p);
    }

    /** {@code strip_string(string, skip_unit)}. */
    public static String stripString(String input, boolean skipUnit) {
        String s = PyStr.strip(input);
        s = s.replace("\n", "");
        s = PyStr.rstrip(s, ".");
        s = s.replace("\\!", "");
        s = PyRe.sub(ARRAY_BEGIN, "\\\\begin{pmatrix}", s);
        s = PyRe.sub(ARRAY_END, "\\\\end{pmatrix}", s);
        s = s.replace("bmatrix", "pmatrix");
        s = s.replace("tfrac", "frac");
        s = s.replace("dfrac", "frac");
        s = s.replace("\\neq", "\\ne").replace("\\leq", "\\le").replace("\\geq", "\\ge");
        s = s.replace("\\left", "");
        s = s.replace("\\right", "");
        s = s.replace("\\{", "{");
        s = s.replace("\\}", "}");
        // a trailing \text{...} (a unit) goes, unless nothing would remain
        String t = PyStr.strip(PyRe.sub(TEXT_AT_END, "", s));
        if (!t.isEmpty() && !t.equals(s)) {
            s = t;
        }
        if (!skipUnit) {
            for (int pass = 0; pass < 2; pass++) {
                for (Pattern unit : UNITS) {
                    t = PyRe.sub(unit, "\\1\\2", s);
                    if (!t.isEmpty()) {
                        s = t;
                    }
                }
            }
        }
        s = s.replace("^{\\circ}", "");
        s = s.replace("^\\circ", "");
        s = s.replace("\\$", "");
        s = s.replace("$", "");
        s = s.replace("\\(", "").replace("\\)", "");
        s = WordNumbers.convert(s);
        s = PyRe.sub(TEXT, "\\1", s);
        for (String key : List.of("x=", "y=", "z=", "x\\in", "y\\in", "z\\in", "x\\to", "y\\to", "z\\to")) {
            s = s.replace(key, "");
        }
        s = s.replace("\\emptyset", "{}");
        s = s.replace("(-\\infty,\\infty)", "\\mathbb{R}");
        s = s.replace("\\%", "");
        s = s.replace("%", "");
        s = s.replace(" .", " 0.");
        s = s.replace("{.", "{0.");
        // (the reference's "{x}" / "(x)" / "[x]" unwrapping tests str.isalnum() of the bracketed string: never true)
        s = s.replace("infinity", "\\infty");
        if (!s.contains("\\infty")) {
            s = s.replace("inf", "\\infty");
        }
        s = s.replace("+\\inity", "\\infty");
        s = s.replace("and", "");
        s = s.replace("\\mathbf", "");
        s = PyRe.sub(MBOX, "", s);
        if (s.contains("j") && !s.contains("i")) {
            s = s.replace("j", "i");
        }
        s = PyRe.sub(ZEROS_BEFORE, "\\1\\2", s);
        s = PyRe.sub(ZEROS_AT_END, "\\1", s);
        if (s.isEmpty()) {
            return s;
        }
        if (s.charAt(0) == '.') {
            s = "0" + s;
        }
        List<String> eq = PyStr.split(s, "=");
        if (eq.size() == 2 && eq.get(0).length() <= 2) {
            s = eq.get(1);
        }
        s = PyRe.sub(SQRT, "\\\\sqrt{\\1}", s);
        s = s.replace(" ", "");
        s = fixFracs(s);
        s = fixSlash(s);
        return s;
    }

    /** {@code _fix_fracs}: \frac12 -> \frac{1}{2}, \frac1{72} -> \frac{1}{72}; a \frac with under 2 characters after it leaves the string as it was. */
    static String fixFracs(String string) {
        List<String> parts = PyStr.split(string, "\\frac");
        StringBuilder b = new StringBuilder(parts.get(0));
        for (int i = 1; i < parts.size(); i++) {
            String sub = parts.get(i);
            b.append("\\frac");
            if (!sub.isEmpty() && sub.charAt(0) == '{') {
                b.append(sub);
                continue;
            }
            if (sub.length() < 2) {
                return string;
            }
            char a = sub.charAt(0);
            char c = sub.charAt(1);
            if (c != '{') {
                b.append('{').append(a).append("}{").append(c).append('}').append(sub, 2, sub.length());
            } else {
                b.append('{').append(a).append('}').append(c).append(sub, 2, sub.length());
            }
        }
        return b.toString();
    }

    /** {@code _fix_a_slash_b}: "a/b" of two Python ints (as Python prints them) or sqrt terms -> \frac{a}{b}. */
    static String fixSlash(String string) {
        List<String> parts = PyStr.split(string, "/");
        if (parts.size() != 2) {
            return string;
        }
        String a = parts.get(0);
        String b = parts.get(1);
        // int(x) then "{}/{}".format(a, b) == string: only canonical integers survive the round trip
        if (!(a.contains("sqrt") || canonicalInt(a)) || !(b.contains("sqrt") || canonicalInt(b))) {
            return string;
        }
        return "\\frac{" + a + "}{" + b + "}";
    }

    private static boolean canonicalInt(String s) {
        return s.matches("-?(0|[1-9][0-9]*)") && !s.equals("-0");
    }
}
