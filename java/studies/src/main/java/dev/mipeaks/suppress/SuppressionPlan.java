package dev.mipeaks.suppress;

import dev.mipeaks.MipeaksException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;

/**
 * The arms of a sweep over N: N = 0 once (no mask; the first point of both curves), and for each N > 0 the top N
 * thinking words and the first N words of the seeded random control.
 */
public record SuppressionPlan(List<Condition> conditions, BitSet thinkingIds, RandomControl control) {

    public static SuppressionPlan build(TokenTable table, WordIndex index, List<Integer> counts, long seed) {
        if (counts.isEmpty()) {
            throw MipeaksException.invalid("--top-words: no value given");
        }
        BitSet thinking = new BitSet();
        for (String w : table.words()) {
            for (int id : index.idsOfWord(w)) {
                thinking.set(id);
            }
        }
        RandomControl control = new RandomControl(index, thinking, seed);
        List<Condition> out = new ArrayList<>();
        TreeSet<Integer> sorted = new TreeSet<>(counts);
        for (int n : sorted) {
            if (n < 0) {
                throw MipeaksException.invalid("--top-words " + n + ": must be >= 0");
            }
            if (n == 0) {
                out.add(new Condition(Condition.NONE, 0, List.of(), new int[0], List.of()));
                continue;
            }
            out.add(condition(Condition.THINKING, n, table.top(n), index));
            out.add(condition(Condition.RANDOM, n, control.words(n), index));
        }
        return new SuppressionPlan(out, thinking, control);
    }

    static Condition condition(String name, int n, List<String> words, WordIndex index) {
        TreeSet<Integer> ids = new TreeSet<>();
        List<String> unmapped = new ArrayList<>();
        for (String w : words) {
            int[] wi = index.idsOfWord(w);
            if (wi.length == 0) {
                unmapped.add(w);
            }
            for (int id : wi) {
                ids.add(id);
            }
        }
        return new Condition(name, n, words, ids.stream().mapToInt(Integer::intValue).toArray(), unmapped);
    }

    /** The distinct N values, ascending. */
    public List<Integer> counts() {
        return conditions.stream().map(Condition::n).distinct().sorted().toList();
    }
}
