package dev.mipeaks.analysis;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a token is shown to people, the same way in the terminal, in JSONL files (their {@code shown} fields), in
 * report.md and on charts: its text in double quotes with every control or invisible character escaped, then its
 * id, e.g. {@code "\tSo" (78012)}.
 *
 * <ul>
 *   <li>Escapes: {@code \\}, {@code \"}, {@code \n}, {@code \t}, {@code \r}; any other control character (C0, DEL,
 *   C1, e.g. a vertical tab) as {@code \xNN}; invisible characters (zero-width space, BOM, no-break and other
 *   non-ASCII spaces, line/paragraph separators, bidi controls) and unpaired surrogates as
 *   <code>&#92;uNNNN</code>. Spaces stay spaces: the quotes show them ({@code " "}).</li>
 *   <li>An empty decoding is {@code (empty)}, never {@code ""}: the id's text is unknown (an id the tokenizer
 *   lacks) or decodes to nothing.</li>
 *   <li>An undecodable token (a lone byte of a multi-byte character decodes to U+FFFD) keeps its "�" and is
 *   told apart by its id; tables keep one row per such id instead of lumping them under "�".</li>
 * </ul>
 */
public final class TokenText {
    private TokenText() {
    }

    /** What an empty decoding prints as. */
    public static final String EMPTY = "(empty)";

    /** Ids listed after a token's text before the rest is summarised as "+N more". */
    public static final int MAX_IDS = 4;

    private static final Pattern SPECIAL = Pattern.compile(
            "<[|｜][^\\s]*[|｜]>|</?(s|unk|pad|eos|bos|mask|sep|cls)>|\\[(CLS|SEP|PAD|UNK|MASK|BOS|EOS)]");

    /** The text with control and invisible characters escaped (no quotes added). */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                        sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else if (Character.isSurrogate(c)) {
                        boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                                && Character.isLowSurrogate(text.charAt(i + 1));
                        if (paired) {
                            int cp = text.codePointAt(i);
                            if (invisible(cp)) {
                                sb.append(String.format(Locale.ROOT, "\\U%08x", cp));
                            } else {
                                sb.appendCodePoint(cp);
                            }
                            i++;
                        } else {
                            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        }
                    } else if (invisible(c)) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * Format characters (zero-width, bidi, BOM), spaces other than U+0020 (no-break, em, ...), line/paragraph
     * separators, private use and unassigned code points.
     */
    private static boolean invisible(int cp) {
        int t = Character.getType(cp);
        return t == Character.FORMAT || (t == Character.SPACE_SEPARATOR && cp != ' ')
                || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR
                || t == Character.PRIVATE_USE || t == Character.UNASSIGNED;
    }

    /** {@code "text"} with escapes, or {@code (empty)}. */
    public static String quote(String text) {
        if (text == null || text.isEmpty()) {
            return EMPTY;
        }
        return "\"" + escape(text) + "\"";
    }

    /** {@code "\tSo" (78012)}: the text and its id. */
    public static String show(String text, int id) {
        return quote(text) + " (" + id + ")";
    }

    /** {@code "So" (2100, 4516)}: the text and its ids (the first {@link #MAX_IDS}, then "+N more"). */
    public static String show(String text, int[] ids) {
        if (ids.length == 0) {
            return quote(text);
        }
        return quote(text) + " (" + ids(ids, MAX_IDS) + ")";
    }

    /** "2100, 4516" or "1, 2, 3, 4, +5 more". */
    public static String ids(int[] ids, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (i == max) {
                sb.append(", +").append(ids.length - max).append(" more");
                break;
            }
            sb.append(i == 0 ? "" : ", ").append(ids[i]);
        }
        return sb.toString();
    }

    /** Whether a single-id decoding says nothing about which id it was: empty, or holding U+FFFD. */
    public static boolean undecodable(String text) {
        return text == null || text.isEmpty() || text.indexOf('\uFFFD') >= 0;
    }

    /**
     * Whether a decoding has the shape of a special token ({@code <|eos|>}, {@code <｜end▁of▁sentence｜>},
     * {@code </s>}, {@code [SEP]}): the fallback when no tokenizer says which ids are special.
     */
    public static boolean looksSpecial(String text) {
        return text != null && SPECIAL.matcher(text.strip()).matches();
    }
}
