package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.TestMath;
import dev.mipeaks.generate.CaptureHook;
import dev.mipeaks.generate.GenerationConfig;
import dev.mipeaks.generate.GenerationResult;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.io.TrajectoryWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layers split over devices compute what the unsplit model computes. On the CPU a split over {@code cpu,cpu} (and
 * three blocks where the model has the layers) must equal the unsplit model bit for bit: teacher-forced states and
 * logits, greedy ids, every captured state and logit of cached decoding with Representation Recycling, a left-padded
 * batch, the logit lens; and the weights each device holds are what the memory plan says.
 */
class LayerSplitTest {
    @TempDir
    Path tmp;

    /** Everything a model computes along the paths the commands take, as plain arrays. */
    record Trace(float[][][] teacherStates, float[][] teacherLogits, int[] ids, float[][] logits, float[][][] states,
                 int[][] batchIds, float[][][] batchStates, int[] lens) {
    }

    static Trace trace(Path dir, LlamaModel.Options opt) {
        SharedModels.Golden g = SharedModels.golden(dir);
        int[] seq = g.fullSequence();
        int[] prompt = g.promptIds();
        int n = ModelConfig.load(dir).numLayers();
        int[] layers = new int[n];
        for (int i = 0; i < n; i++) {
            layers[i] = i;
        }
        int steps = Math.min(12, g.greedyIds().length);
        int recycled = n > 2 ? n / 2 : 0;
        try (LlamaModel m = LlamaModel.load(dir, opt)) {
            DecodeSession.TeacherForced tf;
            try (DecodeSession s = new DecodeSession(m, 1, seq.length)) {
                tf = s.prefillAll(seq);
            }
            int[] ids = new int[steps];
            float[][] logits = new float[steps][];
            float[][][] states = new float[steps][][];
            try (DecodeSession s = new DecodeSession(m, 1, prompt.length + steps)) {
                int[] step = {0};
                DecodeSession.Recycler every3rd = l -> step[0] % 3 == 1 ? recycled : -1;
                DecodeSession.Output out = s.prefill(new int[][] {prompt}, layers, every3rd);
                for (int t = 0; t < steps; t++) {
                    logits[t] = out.logits()[0];
                    ids[t] = TestMath.argmax(logits[t]);
                    states[t] = column(out.hidden(), 0);
                    step[0]++;
                    if (t + 1 < steps) {
                        out = s.decode(new int[] {ids[t]}, layers, every3rd);
                    }
                }
            }
            int[][] prompts = {Arrays.copyOf(seq, 2), Arrays.copyOf(seq, 5)};
            int[][] batchIds = new int[2][4];
            List<float[][]> batchStates = new ArrayList<>();
            try (DecodeSession s = new DecodeSession(m, 2, 5 + 4)) {
                DecodeSession.Output out = s.prefill(prompts, layers, null);
                for (int t = 0; t < 4; t++) {
                    int[] next = new int[2];
                    for (int b = 0; b < 2; b++) {
                        next[b] = batchIds[b][t] = TestMath.argmax(out.logits()[b]);
                        batchStates.add(column(out.hidden(), b));
                    }
                    out = s.decode(next, layers, null);
                }
            }
            float[][] lastLayer = new float[steps][];
            for (int t = 0; t < steps; t++) {
                lastLayer[t] = states[t][n - 1];
            }
            return new Trace(tf.hidden(), tf.logits(), ids, logits, states, batchIds,
                    batchStates.toArray(new float[0][][]), m.lensArgmax(lastLayer));
        }
    }

    static float[][] column(float[][][] hidden, int b) {
        float[][] out = new float[hidden.length][];
        for (int l = 0; l < hidden.length; l++) {
            out[l] = hidden[l][b];
        }
        return out;
    }

    /** Bit-for-bit equality of two traces (JUnit compares floats by their bits). */
    static void assertSame(Trace want, Trace got, String what) {
        for (int l = 0; l < want.teacherStates().length; l++) {
            for (int p = 0; p < want.teacherStates()[l].length; p++) {
                assertArrayEquals(want.teacherStates()[l][p], got.teacherStates()[l][p], what + ": state l" + l + " p" + p);
            }
        }
        for (int p = 0; p < want.teacherLogits().length; p++) {
            assertArrayEquals(want.teacherLogits()[p], got.teacherLogits()[p], what + ": teacher-forced logits " + p);
        }
        assertArrayEquals(want.ids(), got.ids(), what + ": greedy ids (recycling)");
        for (int t = 0; t < want.ids().length; t++) {
            assertArrayEquals(want.logits()[t], got.logits()[t], what + ": logits of step " + t);
            for (int l = 0; l < want.states()[t].length; l++) {
                assertArrayEquals(want.states()[t][l], got.states()[t][l], what + ": captured state step " + t + " l" + l);
            }
        }
        for (int b = 0; b < want.batchIds().length; b++) {
            assertArrayEquals(want.batchIds()[b], got.batchIds()[b], what + ": padded batch row " + b);
        }
        for (int i = 0; i < want.batchStates().length; i++) {
            for (int l = 0; l < want.batchStates()[i].length; l++) {
                assertArrayEquals(want.batchStates()[i][l], got.batchStates()[i][l], what + ": batch state " + i);
            }
        }
        assertArrayEquals(want.lens(), got.lens(), what + ": logit lens");
    }

    @EachSharedModel
    void aSplitOverCpuCpuEqualsTheUnsplitModelBitForBit(String name) {
        Path dir = SharedModels.model(name);
        int n = ModelConfig.load(dir).numLayers();
        Trace whole = trace(dir, new LlamaModel.Options("cpu", "f32"));
        Placement two = Placement.parse("cpu,cpu", null, n);
        assertTrue(two.isSplit());
        assertSame(whole, trace(dir, LlamaModel.Options.of(two, "f32")), name + " over " + two);
        if (n >= 3) {
            Placement three = Placement.parse("cpu", "1,1," + (n - 2), n);
            assertSame(whole, trace(dir, LlamaModel.Options.of(three, "f32")), name + " over " + three);
        }
        // bf16 compute too (the low-precision path casts around the norms)
        assertSame(trace(dir, new LlamaModel.Options("cpu", "bf16")),
                trace(dir, LlamaModel.Options.of(two, "bf16")), name + " bf16 over " + two);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260k", "tiny-qwen2"})
    void theWeightsEachDeviceHoldsAreThePlans(String name) {
        Path dir = SharedModels.model(name);
        ModelConfig c = ModelConfig.load(dir);
        Placement p = Placement.parse("cpu,cpu", null, c.numLayers());
        MemoryPlan.Request r = MemoryPlan.Request.generation(c, MemoryPlan.Weights.read(dir, c), p, "f32", 1, 4, 4);
        MemoryPlan plan = MemoryPlan.of(r, MemoryPlan.Available.of(Map.of(), -1));
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.of(p, "f32"))) {
            assertEquals(Map.of("cpu", plan.need("cpu").weights()), m.weightBytesByDevice());
            assertEquals(m.weightBytes(), plan.need("cpu").weights());
        }
    }

    @Test
    void generationWithCapturedStatesIsTheSameThroughTheWholeStack() throws Exception {
        Path dir = SharedModels.model("tiny-llama31");
        int[] prompt = SharedModels.golden(dir).promptIds();
        Path a = tmp.resolve("a.safetensors");
        Path b = tmp.resolve("b.safetensors");
        GenerationResult ra = generate(dir, new LlamaModel.Options("cpu", "f32"), prompt, a);
        GenerationResult rb = generate(dir, LlamaModel.Options.of(Placement.parse("cpu,cpu", null, 2), "f32"), prompt, b);
        assertArrayEquals(ra.tokens(), rb.tokens());
        try (SafetensorsFile fa = SafetensorsFile.open(a); SafetensorsFile fb = SafetensorsFile.open(b)) {
            for (String t : List.of("hidden.0", "hidden.1")) {
                assertArrayEquals(fa.floats(t), fb.floats(t), t);
            }
        }
    }

    private static GenerationResult generate(Path dir, LlamaModel.Options opt, int[] prompt, Path out) throws Exception {
        try (LlamaModel m = LlamaModel.load(dir, opt);
             TrajectoryWriter w = new TrajectoryWriter(out, new int[] {0, 1}, m.config().hiddenSize(), DType.F32)) {
            GenerationResult r = new Generator(m, null).generate(prompt, GenerationConfig.greedy(10),
                    List.of(new CaptureHook(w)));
            w.finish(r.stopReason().label());
            return r;
        }
    }
}
