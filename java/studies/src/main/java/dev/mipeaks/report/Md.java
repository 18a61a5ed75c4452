package dev.mipeaks.report;

import dev.mipeaks.analysis.TokenText;

/** Tokens in the markdown reports (numbers and cells: {@link Markdown}). */
final class Md {
    private Md() {
    }

    /** A token as a markdown code span of its {@link TokenText#quote} form (escaped for tables). */
    static String code(String token) {
        String d = TokenText.quote(token).replace("|", "\\|");
        return d.contains("`") ? "`` " + d + " ``" : "`" + d + "`";
    }
}
