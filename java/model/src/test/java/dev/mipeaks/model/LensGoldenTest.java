package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.TestMath;
import java.nio.file.Path;

/**
 * The logit lens on the last layer's golden states is the model's own head: at the positions that predicted the
 * greedy tokens (P-1 .. P-1+N-1) it emits exactly greedy_ids, and its logits are the golden logits.
 */
class LensGoldenTest {

    @EachSharedModel
    void lensOnTheLastLayerIsTheGreedyRun(String name) {
        SharedModels.Golden g = SharedModels.golden(name);
        Path dir = g.dir();
        int p = g.promptIds().length;
        int n = g.greedyIds().length;
        int last = g.layers() - 1;
        float[][] states = new float[n][g.hidden()];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < g.hidden(); i++) {
                states[t][i] = g.layerOutput(last, p - 1 + t, i);
            }
        }
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults())) {
            assertArrayEquals(g.greedyIds(), m.lensArgmax(states), name + ": lens argmax vs greedy_ids");
            float[][] logits = m.lensLogits(states);
            double worst = 0;
            double worstAbs = 0;
            for (int t = 0; t < n; t++) {
                double[] want = new double[g.vocab()];
                double[] got = new double[g.vocab()];
                for (int v = 0; v < want.length; v++) {
                    want[v] = g.logit(p - 1 + t, v);
                    got[v] = logits[t][v];
                    worstAbs = Math.max(worstAbs, Math.abs(got[v] - want[v]));
                }
                worst = Math.max(worst, TestMath.relErr(got, want));
            }
            System.out.printf("%s: lens logits vs golden: rel %.2e, abs %.2e%n", name, worst, worstAbs);
            assertTrue(worst < 1e-4, "lens logits rel err " + worst);
            assertTrue(worstAbs < 1e-4, "lens logits abs err " + worstAbs);
            // one state at a time gives the same row as the batch
            float[] one = m.lensLogits(states[n - 1]);
            assertEquals(g.vocab(), one.length);
            for (int v = 0; v < one.length; v++) {
                assertEquals(logits[n - 1][v], one[v], 1e-5f * Math.max(1f, Math.abs(one[v])));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void argmaxTakesTheLowestIdOnTiesAndSkipsNaN() {
        assertEquals(1, LlamaModel.argmax(new float[] {0f, 3f, 3f, -1f}));
        assertEquals(2, LlamaModel.argmax(new float[] {Float.NaN, 1f, 2f}));
        assertEquals(0, LlamaModel.argmax(new float[] {Float.NEGATIVE_INFINITY}));
        assertEquals(-1, LlamaModel.argmax(new float[] {Float.NaN}));
    }
}
