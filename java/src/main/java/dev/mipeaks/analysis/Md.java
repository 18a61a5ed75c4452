package dev.mipeaks.analysis;

import java.util.Locale;

/** Number and text formatting for the markdown reports; undefined values print as "n/a", never NaN. */
final class Md {
    private Md() {
    }

    static String num(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String num2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** A token as a markdown code span of its {@link TokenText#quote} form (escaped for tables). */
    static String code(String token) {
        String d = TokenText.quote(token).replace("|", "\\|");
        return d.contains("`") ? "`` " + d + " ``" : "`" + d + "`";
    }

    static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
