package dev.mipeaks.generate;

import dev.mipeaks.MipeaksException;
import java.util.List;
import java.util.Set;

/**
 * How to generate.
 *
 * @param maxNewTokens at most this many tokens per sequence (the stopping token included)
 * @param temperature  0 = greedy (argmax, lowest id on ties); otherwise logits / temperature are sampled
 * @param topP         nucleus sampling: keep the most probable tokens whose mass reaches topP (1 = all)
 * @param seed         seed of the sampler (each row of a batch samples with its own generator seeded with it, so
 *                     a row's result does not depend on the rest of the batch)
 * @param extraEosIds  ids that stop generation besides the model's eos ids
 * @param stopStrings  stop as soon as the decoded continuation contains one of these (needs a tokenizer)
 */
public record GenerationConfig(int maxNewTokens, double temperature, double topP, long seed, Set<Integer> extraEosIds,
                               List<String> stopStrings) {

    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw MipeaksException.invalid("--max-new-tokens " + maxNewTokens + ": must be at least 1");
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw MipeaksException.invalid("--temperature " + temperature + ": must be >= 0 (0 = greedy)");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw MipeaksException.invalid("--top-p " + topP + ": must be in (0, 1]");
        }
        extraEosIds = Set.copyOf(extraEosIds);
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw MipeaksException.invalid("empty stop string");
            }
        }
    }

    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0, 1, 0, Set.of(), List.of());
    }

    public static GenerationConfig sampling(int maxNewTokens, double temperature, double topP, long seed) {
        return new GenerationConfig(maxNewTokens, temperature, topP, seed, Set.of(), List.of());
    }

    public GenerationConfig withStopStrings(List<String> stops) {
        return new GenerationConfig(maxNewTokens, temperature, topP, seed, extraEosIds, stops);
    }

    public GenerationConfig withExtraEos(Set<Integer> ids) {
        return new GenerationConfig(maxNewTokens, temperature, topP, seed, ids, stopStrings);
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
