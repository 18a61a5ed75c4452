package dev.mipeaks.suppress;

import dev.mipeaks.MipeaksException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The random control of a suppression sweep: words drawn from the model's word-like tokens ({@link WordIndex}),
 * excluding every word that shares an id with a thinking word (all words of the table, not only the N masked), in
 * one seeded order: the control set for N is the first N words of that order, so the sets for N = 5, 10, 20 are
 * nested like the thinking words' top N, and the same seed gives the same sets.
 */
public final class RandomControl {
    private final List<String> order;
    private final long seed;
    private final int excludedWords;

    /**
     * @param excludedIds every id of every thinking word
     */
    public RandomControl(WordIndex index, BitSet excludedIds, long seed) {
        this.seed = seed;
        List<String> pool = new ArrayList<>();
        int excluded = 0;
        for (String w : index.wordLikeWords()) {
            boolean clash = false;
            for (int id : index.idsOfWord(w)) {
                if (excludedIds.get(id)) {
                    clash = true;
                    break;
                }
            }
            if (clash) {
                excluded++;
            } else {
                pool.add(w);
            }
        }
        Collections.shuffle(pool, new Random(seed));
        this.order = List.copyOf(pool);
        this.excludedWords = excluded;
    }

    /** The first {@code n} words of the seeded order. */
    public List<String> words(int n) {
        if (n > order.size()) {
            throw MipeaksException.invalid("--top-words " + n + ": the vocabulary has only " + order.size()
                    + " word-like tokens outside the thinking words for the random control");
        }
        return order.subList(0, n);
    }

    /** Word-like words available to the draw. */
    public int poolSize() {
        return order.size();
    }

    /** Word-like words left out because they share an id with a thinking word. */
    public int excludedWords() {
        return excludedWords;
    }

    public long seed() {
        return seed;
    }
}
