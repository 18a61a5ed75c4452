package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.TestMath;

/** The LibTorch forward (float32) against the shared float64 goldens. */
class LlamaModelGoldenTest {

    @EachSharedModel
    void teacherForcedMatchesGoldens(String name) {
        checkTeacherForced(name, "cpu");
    }

    /** float32 teacher-forced states and logits on {@code device} against the float64 goldens. */
    static void checkTeacherForced(String name, String device) {
        SharedModels.Golden g = SharedModels.golden(name);
        DecodeSession.TeacherForced r = GoldenRuns.teacherForced(g, device, "f32");
        float[][][] hidden = r.hidden();
        float[][] logits = r.logits();
        double worstH = 0;
        double worstL = 0;
        for (int pos = 0; pos < g.fullSequence().length; pos++) {
            for (int l = 0; l < g.layers(); l++) {
                worstH = Math.max(worstH, TestMath.relErr(hidden[l][pos], g.hiddenAt(l, pos)));
            }
            worstL = Math.max(worstL, TestMath.relErr(logits[pos], g.logitsAt(pos)));
        }
        System.out.printf("%s %s: torch f32 vs golden: hidden rel %.2e, logits rel %.2e%n", device, name, worstH, worstL);
        assertTrue(worstH < 1e-4, "hidden rel err " + worstH);
        assertTrue(worstL < 1e-4, "logits rel err " + worstL);
    }

    @EachSharedModel
    void incrementalGreedyMatchesGoldens(String name) {
        checkIncrementalGreedy(name, "cpu");
    }

    /** float32 prefill + cached decoding on {@code device}, every layer captured: ids and states of the goldens. */
    static void checkIncrementalGreedy(String name, String device) {
        SharedModels.Golden g = SharedModels.golden(name);
        int p = g.promptIds().length;
        int n = g.greedyIds().length;
        int[] layers = new int[g.layers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = l;
        }
        double[] worstH = {0};
        GoldenRuns.Greedy got = GoldenRuns.greedy(g, device, "f32", n, layers, (out, t) -> {
            for (int l = 0; l < layers.length; l++) {
                worstH[0] = Math.max(worstH[0], TestMath.relErr(out.hidden()[l][0], g.hiddenAt(l, p - 1 + t)));
            }
        });
        System.out.printf("%s %s: incremental hidden rel %.2e%n", device, name, worstH[0]);
        assertArrayEquals(g.greedyIds(), got.ids());
        assertTrue(worstH[0] < 1e-4, "hidden rel err " + worstH[0]);
        assertEquals(p + n - 1, got.sessionLength());
    }
}
