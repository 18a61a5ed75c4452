package dev.mipeaks.suppress;

import java.util.List;
import java.util.Locale;

/**
 * One arm of a suppression sweep: which words are masked and the model ids that masks.
 *
 * @param name     "none" (N = 0, shared by both curves), "thinking" or "random"
 * @param n        the number of words
 * @param words    the words, in table (or draw) order
 * @param ids      every id of every word (with and without a leading space), ascending
 * @param unmapped words that have no id in this model's vocabulary (they mask nothing)
 */
public record Condition(String name, int n, List<String> words, int[] ids, List<String> unmapped) {
    public static final String NONE = "none";
    public static final String THINKING = "thinking";
    public static final String RANDOM = "random";

    public Condition {
        words = List.copyOf(words);
        unmapped = List.copyOf(unmapped);
    }

    /** The per-problem results file: "thinking-n10.jsonl". */
    public String fileName() {
        return String.format(Locale.ROOT, "%s-n%d.jsonl", name, n);
    }
}
