package dev.mipeaks.suppress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.SharedData;
import dev.mipeaks.generate.GenerationConfig;
import dev.mipeaks.generate.GenerationResult;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Masked tokens never appear in the output, over hundreds of steps: mask the ids an unmasked run used most and
 * generate again.
 */
class SuppressionGenerationTest {

    /** The n ids used most in {@code tokens} (ties: lower id first). */
    static int[] mostFrequent(int[] tokens, int n) {
        Map<Integer, Integer> c = new TreeMap<>();
        for (int t : tokens) {
            c.merge(t, 1, Integer::sum);
        }
        return c.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                .mapToInt(Map.Entry::getKey).toArray();
    }

    static int count(int[] tokens, int[] ids) {
        BitSet b = new BitSet();
        Arrays.stream(ids).forEach(b::set);
        return SuppressionRun.maskedCount(tokens, b);
    }

    @Test
    void storiesNeverGeneratesMaskedIds() {
        Path dir = SharedData.require("models/stories260k");
        int[] prompt;
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("golden.safetensors"))) {
            prompt = Arrays.stream(f.longs("prompt_ids")).mapToInt(Math::toIntExact).toArray();
        }
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults())) {
            Generator g = new Generator(m, null);
            GenerationConfig cfg = GenerationConfig.greedy(200);
            int[] free = SuppressionRun.generate(g, List.of(prompt), cfg, new int[0]).get(0).tokens();
            int[] top = mostFrequent(free, 8);
            assertTrue(count(free, top) > 40, "the unmasked run uses the top ids " + count(free, top) + " times");
            GenerationResult masked = SuppressionRun.generate(g, List.of(prompt), cfg, top).get(0);
            System.out.printf("stories260k: unmasked %d steps (%d of the top-8 ids), masked %d steps%n", free.length,
                    count(free, top), masked.tokens().length);
            assertEquals(0, count(masked.tokens(), top));
            assertTrue(masked.tokens().length >= 100, "masked run of " + masked.tokens().length + " steps");
            assertNotEquals(Arrays.toString(free), Arrays.toString(masked.tokens()));
            // sampling draws from what is left too
            GenerationConfig s = GenerationConfig.sampling(200, 1.0, 1.0, 11);
            for (GenerationResult r : SuppressionRun.generate(g, List.of(prompt, prompt), s, top)) {
                assertEquals(0, count(r.tokens(), top));
            }
        }
    }

    @Test
    void tinyQwenNeverGeneratesTheIdsOfMaskedWords() {
        Path dir = SharedData.require("models/tiny-qwen2");
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults()); Tokenizer tok = Tokenizer.load(dir)) {
            WordIndex idx = new WordIndex(tok.decodedVocabulary());
            Generator g = new Generator(m, tok);
            // the eos id is masked in both runs so that each lasts the full 200 steps
            int eos = m.config().eosTokenIds()[0];
            int[] prompt = tok.encode("What is 2 + 3? Let me think.", false);
            GenerationConfig cfg = GenerationConfig.greedy(200);
            int[] free = SuppressionRun.generate(g, List.of(prompt), cfg, new int[] {eos}).get(0).tokens();
            assertEquals(200, free.length);
            List<String> words = new ArrayList<>();
            for (int id : mostFrequent(free, 12)) {
                String w = WordIndex.word(tok.decode(id));
                if (!w.isEmpty() && !words.contains(w)) {
                    words.add(w);
                }
            }
            Condition c = SuppressionPlan.condition(Condition.THINKING, words.size(), words, idx);
            int[] ids = Arrays.copyOf(c.ids(), c.ids().length + 1);
            ids[ids.length - 1] = eos;
            int[] masked = SuppressionRun.generate(g, List.of(prompt), cfg, ids).get(0).tokens();
            System.out.printf("tiny-qwen2: masked words %s -> %d ids; unmasked run used them %d times%n", words,
                    c.ids().length, count(free, c.ids()));
            assertTrue(count(free, c.ids()) > 50);
            assertEquals(200, masked.length);
            assertEquals(0, count(masked, ids));
        }
    }
}
