package dev.mipeaks.suppress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Words of a vocabulary, from the text of every id decoded alone (Tokenizer.decodedVocabulary()). The ids of a word
 * are those whose text is the word with or without one leading space, exactly as {@code Tokenizer.idsOfWord} (a
 * test checks the two agree): "So" is both "So" and " So", not "\tSo" or "  So".
 *
 * <p>A token is word-like when its text, after removing one leading space, is a non-empty run of ASCII letters
 * ("Wait", " the", "x"); the random control draws from these words. ASCII only, because the thinking words it is
 * compared with are English, and a token of another script is not a plausible substitute for one.
 */
public final class WordIndex {
    private final List<String> decoded;
    private final Map<String, List<Integer>> byText = new HashMap<>();

    public WordIndex(List<String> decoded) {
        this.decoded = List.copyOf(decoded);
        for (int id = 0; id < this.decoded.size(); id++) {
            byText.computeIfAbsent(this.decoded.get(id), k -> new ArrayList<>()).add(id);
        }
    }

    public int vocabSize() {
        return decoded.size();
    }

    public String decode(int id) {
        return decoded.get(id);
    }

    /** Every id whose text is {@code word} or {@code " " + word}, ascending. */
    public int[] idsOfWord(String word) {
        TreeSet<Integer> out = new TreeSet<>(byText.getOrDefault(word, List.of()));
        out.addAll(byText.getOrDefault(" " + word, List.of()));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The word of a token text: one leading space removed. */
    static String word(String text) {
        return text.startsWith(" ") ? text.substring(1) : text;
    }

    /** Whether {@code w} is a non-empty run of ASCII letters. */
    static boolean isAlphabetic(String w) {
        if (w.isEmpty()) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    /** The distinct words of word-like tokens, sorted (a fixed order, so a seeded draw is reproducible). */
    public List<String> wordLikeWords() {
        TreeSet<String> out = new TreeSet<>();
        for (String text : decoded) {
            String w = word(text);
            if (isAlphabetic(w)) {
                out.add(w);
            }
        }
        return new ArrayList<>(out);
    }
}
