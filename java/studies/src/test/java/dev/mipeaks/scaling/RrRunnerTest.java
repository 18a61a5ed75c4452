package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.SharedData;
import dev.mipeaks.TestMath;
import dev.mipeaks.generate.GenerationConfig;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.generate.StepHook;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.ReferenceModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RR runner on the tiny checkpoints: p = 0 is plain greedy decoding; recycled runs follow the cache-free float64
 * reference (one KV entry per recycled position) step by step; seeds reproduce and differ.
 */
class RrRunnerTest {
    private static final double TOL = 1e-4;

    record Golden(int[] prompt, int[] greedy) {
    }

    static Golden golden(Path dir) {
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("golden.safetensors"))) {
            return new Golden(Arrays.stream(f.longs("prompt_ids")).mapToInt(Math::toIntExact).toArray(),
                    Arrays.stream(f.longs("greedy_ids")).mapToInt(Math::toIntExact).toArray());
        }
    }

    static int layerFor(LlamaModel m) {
        return m.config().numLayers() > 2 ? 1 : 0; // a layer with a later layer to carry the change on
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-qwen2", "tiny-llama31"})
    void probabilityZeroIsPlainGreedyTokenForToken(String name) {
        Path dir = SharedData.require("models/" + name);
        Golden gd = golden(dir);
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults())) {
            Generator g = new Generator(m, null);
            int n = gd.greedy().length;
            // every id is a trigger: the coin is flipped at every step and never comes up
            int[] all = IntStream.range(0, m.config().vocabSize()).toArray();
            var o = new RrRunner.Options(layerFor(m), TriggerSet.explicit(all, m.config().vocabSize()), 0, 0, n);
            RrRunner.Outcome oc = RrRunner.generate(g, gd.prompt(), o, RrRunner.coinSeed(0, 0), List.of());
            assertArrayEquals(gd.greedy(), oc.tokens(), "p=0 vs golden greedy ids");
            assertArrayEquals(g.generate(gd.prompt(), GenerationConfig.greedy(n), List.of()).tokens(), oc.tokens());
            assertEquals(n, oc.triggerCandidates());
            assertEquals(0, oc.recycledSteps());
            assertEquals(n, oc.regularSteps());
        }
    }

    /** Captures the last layer's state at every step. */
    static final class LastLayer implements StepHook {
        final int layer;
        final List<float[]> states = new ArrayList<>();

        LastLayer(int layer) {
            this.layer = layer;
        }

        @Override
        public int[] layers() {
            return new int[] {layer};
        }

        @Override
        public void onStep(Step s) {
            states.add(s.hidden(layer));
        }
    }

    /** The ids a plain greedy run generates most often (so that recycling happens). */
    static int[] frequentIds(Generator g, int[] prompt, int steps, int k) {
        int[] t = g.generate(prompt, GenerationConfig.greedy(steps), List.of()).tokens();
        Map<Integer, Integer> count = new HashMap<>();
        for (int id : t) {
            count.merge(id, 1, Integer::sum);
        }
        return count.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue() != 0 ? b.getValue() - a.getValue()
                : a.getKey() - b.getKey()).limit(k).mapToInt(Map.Entry::getKey).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-qwen2", "tiny-llama31"})
    void recycledRunFollowsTheCacheFreeReference(String name) {
        Path dir = SharedData.require("models/" + name);
        Golden gd = golden(dir);
        ReferenceModel ref = ReferenceModel.load(dir);
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults())) {
            Generator g = new Generator(m, null);
            int steps = 24;
            int layer = layerFor(m);
            int last = m.config().numLayers() - 1;
            TriggerSet triggers = TriggerSet.explicit(frequentIds(g, gd.prompt(), steps, 4), m.config().vocabSize());
            var o = new RrRunner.Options(layer, triggers, 0.5, 0, steps);
            LastLayer cap = new LastLayer(last);
            RrRunner.Outcome oc = RrRunner.generate(g, gd.prompt(), o, RrRunner.coinSeed(0, 0), List.of(cap));
            assertTrue(oc.recycledSteps() > 0 && oc.recycledSteps() < oc.triggerCandidates() + 1,
                    "recycled " + oc.recycledSteps() + " of " + oc.triggerCandidates() + " trigger steps");
            assertEquals(oc.tokens().length, oc.recycledSteps() + oc.regularSteps());

            int p = gd.prompt().length;
            int[] seq = IntStream.concat(Arrays.stream(gd.prompt()), Arrays.stream(oc.tokens())).toArray();
            Map<Integer, Integer> recycle = new HashMap<>();
            for (int s : oc.recycledAt()) {
                recycle.put(p - 1 + s, layer);
            }
            ReferenceModel.Result once = ref.forward(seq, recycle, ReferenceModel.CacheMode.REPLACE);
            ReferenceModel.Result dup = ref.forward(seq, recycle, ReferenceModel.CacheMode.IN_PLACE);
            double worst = 0;
            double dupAfter = 0;
            int firstRecycled = oc.recycledAt()[0];
            for (int t = 0; t < oc.tokens().length; t++) {
                int pos = p - 1 + t;
                worst = Math.max(worst, TestMath.relErr(cap.states.get(t), once.hidden()[last][pos]));
                if (t > firstRecycled) {
                    dupAfter = Math.max(dupAfter, TestMath.relErr(cap.states.get(t), dup.hidden()[last][pos]));
                }
                double[] lg = once.logits()[pos];
                int best = TestMath.argmax(lg);
                if (TestMath.margin(lg) > 1e-3) {
                    assertEquals(best, oc.tokens()[t], "step " + t + ": token vs reference argmax");
                }
            }
            System.out.printf("%s: %d recycled steps %s; states vs single-entry reference %.1e, vs in-place cache %.1e%n",
                    name, oc.recycledSteps(), Arrays.toString(oc.recycledAt()), worst, dupAfter);
            assertTrue(worst < TOL, "states vs cache-free reference: " + worst);
            if (firstRecycled < oc.tokens().length - 1) {
                assertTrue(dupAfter > 3 * TOL, "the in-place-cache variant must differ after a recycled step: " + dupAfter);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-qwen2"})
    void seedsReproduceAndDiffer(String name) {
        Path dir = SharedData.require("models/" + name);
        Golden gd = golden(dir);
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults())) {
            Generator g = new Generator(m, null);
            int steps = 20;
            TriggerSet triggers = TriggerSet.explicit(frequentIds(g, gd.prompt(), steps, 4), m.config().vocabSize());
            var o = new RrRunner.Options(layerFor(m), triggers, 0.5, 0, steps);
            RrRunner.Outcome a = RrRunner.generate(g, gd.prompt(), o, RrRunner.coinSeed(0, 0), List.of());
            RrRunner.Outcome b = RrRunner.generate(g, gd.prompt(), o, RrRunner.coinSeed(0, 0), List.of());
            assertArrayEquals(a.tokens(), b.tokens());
            assertArrayEquals(a.recycledAt(), b.recycledAt());
            Set<String> distinct = new HashSet<>();
            distinct.add(Arrays.toString(a.recycledAt()) + Arrays.toString(a.tokens()));
            for (long seed = 1; seed < 4; seed++) {
                RrRunner.Outcome c = RrRunner.generate(g, gd.prompt(), o, RrRunner.coinSeed(seed, 0), List.of());
                distinct.add(Arrays.toString(c.recycledAt()) + Arrays.toString(c.tokens()));
            }
            assertTrue(distinct.size() > 1, "four seeds gave one outcome");
            // p = 1: every trigger step is recycled
            var always = new RrRunner.Options(layerFor(m), triggers, 1, 0, steps);
            RrRunner.Outcome d = RrRunner.generate(g, gd.prompt(), always, 0, List.of());
            assertTrue(d.recycledSteps() > 0);
            assertEquals(d.triggerCandidates(), d.recycledSteps());
        }
    }
}
