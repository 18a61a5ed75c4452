package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.TestMath;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;

/**
 * The model runtime on a CUDA device, every path a command takes: float32 prefill and cached decoding against the
 * float64 goldens (all layers captured), bf16 against the Hugging Face bf16 emulation, left-padded batches against
 * single rows, Representation Recycling and the logit lens against the same computation on the CPU. Skips with the
 * reason where LibTorch sees no CUDA device (this machine, CI); on the GPU machine scripts/runtime-check.sh runs it
 * through the JUnit console launcher.
 */
class GpuRuntimeTest {
    private static final String CUDA = System.getProperty("mipeaks.test.cuda", "cuda");

    @BeforeAll
    static void needsCuda() {
        CudaTests.assumeCuda(CUDA, "GpuRuntimeTest");
    }

    @EachSharedModel
    void float32MatchesTheGoldens(String name) {
        LlamaModelGoldenTest.checkTeacherForced(name, CUDA);
        LlamaModelGoldenTest.checkIncrementalGreedy(name, CUDA);
    }

    @EachSharedModel
    void bf16FollowsHuggingFaceBf16(String name) {
        Bf16RecipeTest.checkStates(name, CUDA);
        Bf16RecipeTest.checkGreedy(name, CUDA);
    }

    @EachSharedModel
    void leftPaddedBatchEqualsSingleRows(String name) {
        Path dir = SharedModels.model(name);
        int[] seq = SharedModels.golden(dir).fullSequence();
        int[][] prompts = {Arrays.copyOf(seq, 2), Arrays.copyOf(seq, 5), Arrays.copyOf(seq, 9)};
        int steps = 6;
        int[] layers = allLayers(dir);
        try (LlamaModel m = LlamaModel.load(dir, new LlamaModel.Options(CUDA, "f32"))) {
            int[][] batchIds = new int[prompts.length][steps];
            float[][][][] batchStates = new float[prompts.length][steps][][];
            try (DecodeSession s = new DecodeSession(m, prompts.length, 9 + steps)) {
                DecodeSession.Output out = s.prefill(prompts, layers, null);
                for (int t = 0; t < steps; t++) {
                    int[] next = new int[prompts.length];
                    for (int b = 0; b < prompts.length; b++) {
                        next[b] = batchIds[b][t] = TestMath.argmax(out.logits()[b]);
                        batchStates[b][t] = row(out.hidden(), b);
                    }
                    out = s.decode(next, layers, null);
                }
            }
            for (int b = 0; b < prompts.length; b++) {
                try (DecodeSession s = new DecodeSession(m, 1, prompts[b].length + steps)) {
                    DecodeSession.Output out = s.prefill(new int[][] {prompts[b]}, layers, null);
                    int[] ids = new int[steps];
                    double worst = 0;
                    for (int t = 0; t < steps; t++) {
                        ids[t] = TestMath.argmax(out.logits()[0]);
                        float[][] single = row(out.hidden(), 0);
                        for (int l = 0; l < layers.length; l++) {
                            worst = Math.max(worst, TestMath.relErr(TestMath.toDoubles(batchStates[b][t][l]),
                                    TestMath.toDoubles(single[l])));
                        }
                        out = s.decode(new int[] {ids[t]}, layers, null);
                    }
                    System.out.printf("%s %s: batch row %d (pad %d) vs alone: states %.2e%n", CUDA, name, b,
                            9 - prompts[b].length, worst);
                    assertArrayEquals(ids, batchIds[b], name + " row " + b);
                    assertTrue(worst < 1e-4, name + " row " + b + " states " + worst);
                }
            }
        }
    }

    @EachSharedModel
    void recyclingAndLensEqualTheCpu(String name) {
        SharedModels.Golden g = SharedModels.golden(name);
        Path dir = g.dir();
        int[] layers = allLayers(dir);
        int recycled = layers.length > 2 ? 1 : 0;
        int steps = Math.min(12, g.greedyIds().length);
        Trace cpu = recycledTrace(dir, "cpu", g.promptIds(), steps, layers, recycled);
        Trace gpu = recycledTrace(dir, CUDA, g.promptIds(), steps, layers, recycled);
        assertArrayEquals(cpu.ids, gpu.ids, name + ": recycled greedy ids, cpu vs " + CUDA);
        double worst = 0;
        for (int t = 0; t < steps; t++) {
            worst = Math.max(worst, TestMath.relErr(TestMath.toDoubles(gpu.logits[t]),
                    TestMath.toDoubles(cpu.logits[t])));
        }
        System.out.printf("%s %s: recycled logits vs cpu %.2e%n", CUDA, name, worst);
        assertTrue(worst < 1e-4, "recycled logits " + worst);
        // logit lens of the last layer's (recycled) states on the GPU: the step's own greedy tokens
        try (LlamaModel m = LlamaModel.load(dir, new LlamaModel.Options(CUDA, "f32"))) {
            assertArrayEquals(gpu.ids, m.lensArgmax(gpu.lastLayer), name + ": lens of the last layer on " + CUDA);
        }
    }

    private record Trace(int[] ids, float[][] logits, float[][] lastLayer) {
    }

    /** Greedy decoding with layer {@code recycled} applied twice at every other step. */
    private static Trace recycledTrace(Path dir, String device, int[] prompt, int steps, int[] layers, int recycled) {
        try (LlamaModel m = LlamaModel.load(dir, new LlamaModel.Options(device, "f32"));
             DecodeSession s = new DecodeSession(m, 1, prompt.length + steps)) {
            int[] ids = new int[steps];
            float[][] logits = new float[steps][];
            float[][] last = new float[steps][];
            int[] step = {0};
            DecodeSession.Recycler every2nd = l -> step[0] % 2 == 0 ? recycled : -1;
            DecodeSession.Output out = s.prefill(new int[][] {prompt}, layers, every2nd);
            for (int t = 0; t < steps; t++) {
                assertEquals(t % 2 == 0 ? recycled : -1, out.recycledLayer());
                logits[t] = out.logits()[0];
                ids[t] = TestMath.argmax(logits[t]);
                last[t] = out.hidden()[layers.length - 1][0];
                step[0]++;
                if (t + 1 < steps) {
                    out = s.decode(new int[] {ids[t]}, layers, every2nd);
                }
            }
            return new Trace(ids, logits, last);
        }
    }

    private static int[] allLayers(Path dir) {
        int n = ModelConfig.load(dir).numLayers();
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = i;
        }
        return l;
    }

    /** [k][H] states of batch row b out of [k][B][H]. */
    private static float[][] row(float[][][] hidden, int b) {
        float[][] out = new float[hidden.length][];
        for (int l = 0; l < hidden.length; l++) {
            out[l] = hidden[l][b];
        }
        return out;
    }
}
