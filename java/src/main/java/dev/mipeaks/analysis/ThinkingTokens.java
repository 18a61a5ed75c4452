package dev.mipeaks.analysis;

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
 * ids for "\n\n"; none for " ", whose key is empty); without one, the ids seen at peaks. The word of a generated
 * token is its key, or the text itself when the key is empty (a lone " " is the word " ").
 */
public final class ThinkingTokens {

    /** One row of the table. */
    public record Row(String word, long freq, int[] tokenIds) {
    }

    private final Map<String, Long> freq = new HashMap<>();
    private final Map<String, TreeSet<Integer>> seenIds = new HashMap<>();

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
        while (i < t.length() && (t.charAt(i) != '\n' && dev.mipeaks.eval.PyStr.isSpace(t.charAt(i))
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
        String w = word(token);
        freq.merge(w, 1L, Long::sum);
        seenIds.computeIfAbsent(w, k -> new TreeSet<>()).add(id);
    }

    public long total() {
        return freq.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rows sorted by freq descending, then word; token ids from {@code vocab}, or the ids seen when it is null. */
    public List<Row> rows(Vocabulary vocab) {
        Map<String, TreeSet<Integer>> ids = new HashMap<>();
        if (vocab != null) {
            for (int id = 0; id < vocab.size(); id++) {
                String d = vocab.decode(id);
                if (d == null) {
                    continue;
                }
                String w = key(d);
                if (freq.containsKey(w)) {
                    ids.computeIfAbsent(w, k -> new TreeSet<>()).add(id);
                }
            }
        } else {
            ids.putAll(seenIds);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Long> e : new TreeMap<>(freq).entrySet()) {
            TreeSet<Integer> s = ids.getOrDefault(e.getKey(), new TreeSet<>());
            rows.add(new Row(e.getKey(), e.getValue(), s.stream().mapToInt(Integer::intValue).toArray()));
        }
        rows.sort(Comparator.comparingLong(Row::freq).reversed().thenComparing(Row::word));
        return rows;
    }
}
