package dev.mipeaks.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.SharedData;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.io.TrajectoryWriter;
import dev.mipeaks.model.EachSharedModel;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {
    @TempDir
    Path tmp;

    static Path model(String name) {
        return SharedData.require("models/" + name + "/golden.safetensors").getParent();
    }

    static int[] ints(long[] v) {
        return Arrays.stream(v).mapToInt(Math::toIntExact).toArray();
    }

    /** Greedy ids equal greedy_ids; trajectory rows equal layer_outputs at positions P-1 .. P-1+T-1. */
    @EachSharedModel
    void greedyTraceMatchesGoldens(String name) throws Exception {
        Path dir = model(name);
        int[] prompt;
        int[] greedy;
        try (SafetensorsFile golden = SafetensorsFile.open(dir.resolve("golden.safetensors"))) {
            prompt = ints(golden.longs("prompt_ids"));
            greedy = ints(golden.longs("greedy_ids"));
        }
        Path out = tmp.resolve(name + ".safetensors");
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults())) {
            int layers = m.config().numLayers();
            int[] all = new int[layers];
            for (int l = 0; l < layers; l++) {
                all[l] = l;
            }
            GenerationResult r;
            try (TrajectoryWriter w = new TrajectoryWriter(out, all, m.config().hiddenSize(), DType.F32)) {
                // no eos stop: the golden runs a fixed number of steps
                GenerationConfig cfg = GenerationConfig.greedy(greedy.length);
                r = new Generator(m, null).generate(prompt, cfg, List.of(new CaptureHook(w)));
                w.finish(r.stopReason().label());
            }
            int n = r.tokens().length;
            assertArrayEquals(Arrays.copyOf(greedy, n), r.tokens(), "greedy ids");
            if (r.stopReason() == StopReason.EOS) {
                assertTrue(m.config().isEos(r.tokens()[n - 1]));
            } else {
                assertEquals(greedy.length, n);
            }
            try (SafetensorsFile t = SafetensorsFile.open(out);
                 SafetensorsFile golden = SafetensorsFile.open(dir.resolve("golden.safetensors"))) {
                assertArrayEquals(r.tokens(), ints(t.longs("token_ids")));
                float[] lo = golden.floats("layer_outputs");
                long[] shape = golden.info("layer_outputs").shape();
                int positions = (int) shape[1];
                int h = (int) shape[2];
                double worst = 0;
                for (int l = 0; l < layers; l++) {
                    float[] got = t.floats("hidden." + l);
                    assertEquals(n * h, got.length);
                    for (int step = 0; step < n; step++) {
                        double num = 0;
                        double den = 0;
                        for (int i = 0; i < h; i++) {
                            double want = lo[(l * positions + prompt.length - 1 + step) * h + i];
                            num = Math.max(num, Math.abs(got[step * h + i] - want));
                            den = Math.max(den, Math.abs(want));
                        }
                        worst = Math.max(worst, num / den);
                    }
                }
                assertTrue(worst < 1e-4, "trajectory rows vs layer_outputs: " + worst);
                assertEquals(r.stopReason().label(), t.metadata().get("stop_reason"));
            }
        }
    }

    /** Several prompts of different lengths at once give what each gives alone. */
    @Test
    void batchEqualsOneByOne() {
        Path dir = model("tiny-qwen2");
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults())) {
            Generator g = new Generator(m, null);
            List<int[]> prompts = List.of(new int[] {10, 20, 30, 40, 50, 60, 70}, new int[] {5}, new int[] {99, 100, 101},
                    new int[] {200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210});
            GenerationConfig cfg = GenerationConfig.greedy(12);
            List<GenerationResult> batch = g.generate(prompts, cfg, List.of());
            List<float[]> states = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                GenerationResult one = g.generate(prompts.get(i), cfg, List.of());
                assertArrayEquals(one.tokens(), batch.get(i).tokens(), "row " + i);
                assertEquals(one.stopReason(), batch.get(i).stopReason());
            }
            // hidden states of a padded row equal the unpadded ones
            float[][] fromBatch = new float[prompts.size()][];
            g.generate(prompts, GenerationConfig.greedy(1), List.of(new StepHook() {
                @Override
                public int[] layers() {
                    return new int[] {2};
                }

                @Override
                public void onStep(Step s) {
                    fromBatch[s.row()] = s.hidden(2);
                }
            }));
            for (int i = 0; i < prompts.size(); i++) {
                float[] alone = g.forwardHidden(prompts.get(i), new int[] {2})[0];
                double err = 0;
                for (int j = 0; j < alone.length; j++) {
                    err = Math.max(err, Math.abs(alone[j] - fromBatch[i][j]));
                }
                assertTrue(err < 1e-4, "row " + i + " state differs by " + err);
                states.add(alone);
            }
        }
    }

    @Test
    void samplingIsSeededAndTopPNarrowsToGreedy() {
        Path dir = model("tiny-qwen2");
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults())) {
            Generator g = new Generator(m, null);
            int[] prompt = {10, 20, 30};
            GenerationResult a = g.generate(prompt, GenerationConfig.sampling(20, 1.5, 1.0, 7), List.of());
            GenerationResult b = g.generate(prompt, GenerationConfig.sampling(20, 1.5, 1.0, 7), List.of());
            GenerationResult c = g.generate(prompt, GenerationConfig.sampling(20, 1.5, 1.0, 8), List.of());
            assertArrayEquals(a.tokens(), b.tokens(), "same seed, same tokens");
            assertNotEquals(Arrays.toString(a.tokens()), Arrays.toString(c.tokens()), "another seed, other tokens");
            GenerationResult greedy = g.generate(prompt, GenerationConfig.greedy(20), List.of());
            GenerationResult tiny = g.generate(prompt, GenerationConfig.sampling(20, 1.0, 1e-9, 3), List.of());
            assertArrayEquals(greedy.tokens(), tiny.tokens(), "top-p near 0 keeps only the best token");
        }
    }

    @Test
    void stopsOnEosAndOnStopStringsAndMasksIds() {
        Path dir = model("tiny-qwen2");
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults());
             Tokenizer tok = Tokenizer.load(dir)) {
            Generator g = new Generator(m, tok);
            int[] prompt = {10, 20, 30};
            GenerationResult free = g.generate(prompt, GenerationConfig.greedy(16), List.of());
            int third = free.tokens()[2];
            // an extra eos id: stops at its first occurrence, which is kept
            GenerationResult e = g.generate(prompt, GenerationConfig.greedy(16).withExtraEos(Set.of(third)), List.of());
            assertEquals(StopReason.EOS, e.stopReason());
            int first = indexOf(free.tokens(), third);
            assertArrayEquals(Arrays.copyOf(free.tokens(), first + 1), e.tokens());
            // a stop string: the first generated token that decodes to one printable ASCII character
            GenerationResult longer = g.generate(prompt, GenerationConfig.greedy(48), List.of());
            int j = -1;
            String stop = null;
            for (int i = 0; i < longer.tokens().length && j < 0; i++) {
                String d = tok.decode(longer.tokens()[i]);
                if (d.length() == 1 && d.charAt(0) > ' ' && d.charAt(0) < 127) {
                    j = i;
                    stop = d;
                }
            }
            Assumptions.assumeTrue(j >= 0, "no ASCII token in the free run");
            GenerationResult s = g.generate(prompt, GenerationConfig.greedy(48).withStopStrings(List.of(stop)), List.of());
            assertEquals(StopReason.STOP_STRING, s.stopReason());
            assertArrayEquals(Arrays.copyOf(longer.tokens(), j + 1), s.tokens());
            // masking: the masked ids never appear, and the first step takes the runner-up
            int[] masked = {free.tokens()[0], free.tokens()[1]};
            GenerationResult k = g.generate(prompt, GenerationConfig.greedy(16), List.of(new LogitMaskHook(masked)));
            for (int t : k.tokens()) {
                assertTrue(t != masked[0] && t != masked[1], "masked id generated");
            }
            assertEquals(StopReason.MAX_NEW_TOKENS, k.stopReason());
        }
    }

    @Test
    void recycleHookTriggersOnlyOnTriggerIdsAndRecordsSteps() {
        Path dir = model("tiny-qwen2");
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults())) {
            Generator g = new Generator(m, null);
            int[] prompt = {10, 20, 30};
            GenerationResult free = g.generate(prompt, GenerationConfig.greedy(10), List.of());
            // trigger on the first greedy token: step 0 is recycled, nothing before it changes
            RecycleHook never = new RecycleHook(1, new int[] {free.tokens()[0]}, 0.0, 1);
            GenerationResult r0 = g.generate(prompt, GenerationConfig.greedy(10), List.of(never));
            assertArrayEquals(free.tokens(), r0.tokens(), "p = 0 never recycles");
            assertEquals(0, r0.recycledSteps());
            RecycleHook always = new RecycleHook(1, new int[] {free.tokens()[0]}, 1.0, 1);
            GenerationResult r1 = g.generate(prompt, GenerationConfig.greedy(10), List.of(always));
            assertTrue(r1.recycledSteps() >= 1);
            assertEquals(r1.recycledSteps(), always.recycledSteps());
        }
    }

    private static int indexOf(int[] v, int x) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
