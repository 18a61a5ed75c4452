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
 * ({@code {"word": "So", "freq": 394, "token_ids": [2100, 4516]}}).
 *
 * <p>word(token) is the token text with one leading space (" ", or the byte-level BPE marker "Ġ") removed, unless
 * nothing would remain (a lone " " stays " "). token_ids of a word: with a {@link Vocabulary}, every id whose
 * single-id decoding has that word (so " So" and "So", not "\tSo"); without one, the ids seen at peaks.
 */
public final class ThinkingTokens {

    /** One row of the table. */
    public record Row(String word, long freq, int[] tokenIds) {
    }

    private final Map<String, Long> freq = new HashMap<>();
    private final Map<String, TreeSet<Integer>> seenIds = new HashMap<>();

    public static String word(String token) {
        if (token.length() > 1 && (token.charAt(0) == ' ' || token.charAt(0) == 'Ġ')) {
            return token.substring(1);
        }
        return token;
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
                String w = word(d);
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
