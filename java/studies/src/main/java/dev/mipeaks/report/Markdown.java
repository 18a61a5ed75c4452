package dev.mipeaks.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The markdown of the reports (report.md, compare.md, the rr/ttts/suppress reports): headings, paragraphs, tables and
 * the number formats, built in one place. Undefined numbers print as "n/a", never NaN.
 *
 * <pre>{@code
 * Markdown md = new Markdown().heading(1, "Report").table("", "accuracy").row("overall", "51.2%").end();
 * }</pre>
 */
public final class Markdown {
    private final StringBuilder sb = new StringBuilder();

    /** {@code #}s, the text, a blank line. */
    public Markdown heading(int level, String text) {
        sb.append("#".repeat(level)).append(' ').append(text).append("\n\n");
        return this;
    }

    /** Text as it is (the caller writes its line ends). */
    public Markdown text(Object text) {
        sb.append(text);
        return this;
    }

    /** A paragraph: the text, a blank line. */
    public Markdown paragraph(String text) {
        sb.append(text).append("\n\n");
        return this;
    }

    /** An image by relative link, on a paragraph of its own. */
    public Markdown image(String alt, String path) {
        return paragraph("![" + alt + "](" + path + ")");
    }

    /**
     * A table's header and separator row; its rows follow with {@link #row}, and {@link #end} closes it with a blank
     * line. An empty header cell is written {@code | |}.
     */
    public Markdown table(String... header) {
        sb.append('|');
        for (String h : header) {
            sb.append(' ').append(h).append(h.isEmpty() ? "" : " ").append('|');
        }
        sb.append('\n').append("|---".repeat(header.length)).append("|\n");
        return this;
    }

    /** One table row: {@code | a | b |}, each cell as {@link String#valueOf} writes it (escape text with {@link #cell}). */
    public Markdown row(Object... cells) {
        sb.append("| ").append(Arrays.stream(cells).map(String::valueOf).collect(Collectors.joining(" | ")))
                .append(" |\n");
        return this;
    }

    /** Ends a table (a blank line). */
    public Markdown end() {
        sb.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    /** Four decimals, or scientific notation (3 decimals) below 1e-3 and from 1e6 on; "n/a" when undefined. */
    public static String num(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Two decimals. */
    public static String num2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Text for a table cell: {@code |} escaped, line breaks as spaces, null as empty. */
    public static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
