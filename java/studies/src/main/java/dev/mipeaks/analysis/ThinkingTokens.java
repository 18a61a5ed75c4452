package dev.mipeaks.analysis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mipeaks.PyStr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts the tokens generated at peak steps, grouped by word, into the shape of the paper's table
 * ({@code {"word": "So", "freq": 394, "token_ids": [2100, 4516, 78012]}}).
 *
 * <p>The rule is the one that reproduces the paper's shipped table (data/thinking-tokens, DeepSeek-R1-Distill-
 * Llama-8B) from its words with the Llama 3 tokenizer, all 30 rows: the {@link #key} of a token text is the text
 * with a literal backslash-n (the two characters) read as a newline and its leading whitespace other than newlines
 * removed (Python's str.isspace: space, tab, \r, U+00A0, ...; also the byte-level BPE marker "Ġ"). token_ids of
 * a word: with a {@link Vocabulary}, every id whose single-id decoding has that key ("So", " So", "\tSo"; sixteen
 * ids for "\n\n"; none for " ", whose key is empty), special ids left out unless the table includes them; without
 * one, the ids seen at peaks. The word of a generated token is its key, or the text itself when the key is empty
 * (a lone " " is the word " ").
 *
 * <p>Two kinds of token are not grouped by their text:
 * <ul>
 *   <li>undecodable tokens ({@link TokenText#undecodable}: an empty decoding, or a lone byte that decodes to "�")
 *   get one row per id, listing the ids seen, since their text does not say which token it was;</li>
 *   <li>special tokens (the vocabulary marks the id special, or, without one, the step was the stop on EOS or the
 *   text looks like {@code <|eos|>}) are left out of the rows unless the table includes them; {@link #excluded}
 *   counts the steps left out.</li>
 * </ul>
 */
public final class ThinkingTokens {

    /** One row of the table. */
    @JsonPropertyOrder({"word", "freq", "token_ids", "shown"})
    @JsonIgnoreProperties(value = "shown", allowGetters = true)
    public record Row(String word, long freq, @JsonProperty("token_ids") int[] tokenIds) {
        /** The word as people see it: {@code "So" (2100, 4516)} ({@link TokenText}). */
        @JsonProperty("shown")
        public String shown() {
            return TokenText.show(word, tokenIds);
        }
    }

    /** The counts of one word (or one undecodable id): steps by id, and the ids flagged special when added. */
    private static final class Entry {
        final String word;
        final boolean perId;
        final TreeMap<Integer, Long> byId = new TreeMap<>();
        final TreeSet<Integer> flagged = new TreeSet<>();

        Entry(String word, boolean perId) {
            this.word = word;
            this.perId = perId;
        }
    }

    private final boolean includeSpecial;
    private final Map<String, Entry> entries = new HashMap<>();

    /** A table that leaves special tokens out. */
    public ThinkingTokens() {
        this(false);
    }

    /** @param includeSpecial keep special tokens ({@code <|eos|>}, ...) as rows (the CLI's --include-special) */
    public ThinkingTokens(boolean includeSpecial) {
        this.includeSpecial = includeSpecial;
    }

    /** The word a generated token counts as: its {@link #key}, or the text itself when the key is empty. */
    public static String word(String token) {
        String k = key(token);
        return k.isEmpty() ? token : k;
    }

    /**
     * The text a token's id is listed under: literal "\\n" read as a newline, then leading whitespace other than
     * newlines (and "Ġ") removed.
     */
    public static String key(String text) {
        String t = text.replace("\\n", "\n");
        int i = 0;
        while (i < t.length() && (t.charAt(i) != '\n' && PyStr.isSpace(t.charAt(i))
                || t.charAt(i) == 'Ġ')) {
            i++;
        }
        return t.substring(i);
    }

    /** Every id of {@code vocab} listed under {@code word} (ascending). */
    public static int[] idsOfWord(Vocabulary vocab, String word) {
        List<Integer> out = new ArrayList<>();
        for (int id = 0; id < vocab.size(); id++) {
            String d = vocab.decode(id);
            if (d != null && key(d).equals(word)) {
                out.add(id);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Counts one peak step that generated {@code token} (id {@code id}). */
    public void add(String token, int id) {
        add(token, id, false);
    }

    /**
     * Counts one peak step; {@code special} flags the step's token as special when no vocabulary may say so (e.g.
     * the EOS a run stopped on). Texts shaped like special tokens ({@link TokenText#looksSpecial}) are flagged too.
     */
    public void add(String token, int id, boolean special) {
        String text = token == null ? "" : token;
        boolean perId = TokenText.undecodable(text);
        String w = perId ? text : word(text);
        String key = perId ? "\u0000" + id : w;
        Entry e = entries.computeIfAbsent(key, k -> new Entry(w, perId));
        e.byId.merge(id, 1L, Long::sum);
        if (special || TokenText.looksSpecial(text)) {
            e.flagged.add(id);
        }
    }

    /** Every counted step, special tokens included. */
    public long total() {
        long n = 0;
        for (Entry e : entries.values()) {
            for (long c : e.byId.values()) {
                n += c;
            }
        }
        return n;
    }

    public boolean includesSpecial() {
        return includeSpecial;
    }

    private boolean isSpecial(Entry e, int id, Vocabulary vocab) {
        return e.flagged.contains(id) || (vocab != null && id >= 0 && id < vocab.size() && vocab.special(id));
    }

    /** Steps at special tokens that {@link #rows} leaves out (0 when the table includes them). */
    public long excluded(Vocabulary vocab) {
        if (includeSpecial) {
            return 0;
        }
        long n = 0;
        for (Entry e : entries.values()) {
            for (Map.Entry<Integer, Long> c : e.byId.entrySet()) {
                if (isSpecial(e, c.getKey(), vocab)) {
                    n += c.getValue();
                }
            }
        }
        return n;
    }

    /**
     * Rows sorted by freq descending, then word, then first id; token ids are, with {@code vocab}, every id of the
     * vocabulary whose {@link #key} is the word (the ids seen for a row of one undecodable id), without it the ids
     * seen. Special tokens are left out unless included.
     */
    public List<Row> rows(Vocabulary vocab) {
        Map<String, Long> freq = new HashMap<>();
        Map<String, TreeSet<Integer>> ids = new HashMap<>();
        Map<String, Entry> kept = new HashMap<>();
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            long f = 0;
            TreeSet<Integer> seen = new TreeSet<>();
            for (Map.Entry<Integer, Long> c : e.byId.entrySet()) {
                if (includeSpecial || !isSpecial(e, c.getKey(), vocab)) {
                    f += c.getValue();
                    seen.add(c.getKey());
                }
            }
            if (f > 0) {
                freq.put(me.getKey(), f);
                ids.put(me.getKey(), seen);
                kept.put(me.getKey(), e);
            }
        }
        if (vocab != null) {
            // with a vocabulary a word's ids are the vocabulary's ids of it (the paper's rule), not the ids seen;
            // a row of one undecodable id keeps the id seen
            Map<String, TreeSet<Integer>> vocabIds = new HashMap<>();
            for (int id = 0; id < vocab.size(); id++) {
                String d = vocab.decode(id);
                if (d == null || TokenText.undecodable(d)) {
                    continue;
                }
                String w = key(d);
                Entry e = kept.get(w);
                if (e != null && !e.perId && (includeSpecial || !vocab.special(id))) {
                    vocabIds.computeIfAbsent(w, k -> new TreeSet<>()).add(id);
                }
            }
            for (Map.Entry<String, Entry> me : kept.entrySet()) {
                if (!me.getValue().perId) {
                    ids.put(me.getKey(), vocabIds.getOrDefault(me.getKey(), new TreeSet<>()));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Long> f : freq.entrySet()) {
            Entry e = kept.get(f.getKey());
            rows.add(new Row(e.word, f.getValue(), ids.get(f.getKey()).stream().mapToInt(Integer::intValue).toArray()));
        }
        rows.sort(Comparator.comparingLong(Row::freq).reversed().thenComparing(Row::word)
                .thenComparingInt(r -> r.tokenIds().length == 0 ? -1 : r.tokenIds()[0]));
        return rows;
    }
}
