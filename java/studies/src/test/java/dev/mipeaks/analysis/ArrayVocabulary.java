package dev.mipeaks.analysis;

import java.util.Set;

/** A fake vocabulary for tests: id -> {@code words[id]}, the ids in {@code specialIds} marked special. */
public record ArrayVocabulary(String[] words, Set<Integer> specialIds) implements Vocabulary {
    ArrayVocabulary(String... words) {
        this(words, Set.of());
    }

    @Override
    public int size() {
        return words.length;
    }

    @Override
    public String decode(int id) {
        return words[id];
    }

    @Override
    public boolean special(int id) {
        return specialIds.contains(id);
    }
}
