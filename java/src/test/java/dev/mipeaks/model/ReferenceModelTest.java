package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plain-Java float64 reference against the shared goldens (an independent float64 implementation). */
class ReferenceModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"stories260k", "tiny-qwen2", "tiny-llama31"})
    void matchesGoldens(String name) {
        Path dir = SharedModels.model(name);
        SharedModels.Golden g = SharedModels.golden(dir);
        ReferenceModel ref = ReferenceModel.load(dir);
        int[] seq = g.fullSequence();
        ReferenceModel.Result r = ref.forward(seq);
        int h = g.hidden();
        double worstHidden = 0;
        double worstLogit = 0;
        for (int pos = 0; pos < seq.length; pos++) {
            for (int l = 0; l < g.layers(); l++) {
                double[] want = new double[h];
                for (int i = 0; i < h; i++) {
                    want[i] = g.layerOutput(l, pos, i);
                }
                worstHidden = Math.max(worstHidden, SharedModels.relErr(r.hidden()[l][pos], want));
            }
            double[] wantLogits = new double[g.vocab()];
            for (int v = 0; v < g.vocab(); v++) {
                wantLogits[v] = g.logit(pos, v);
            }
            worstLogit = Math.max(worstLogit, SharedModels.relErr(r.logits()[pos], wantLogits));
        }
        System.out.printf("%s: reference vs golden: hidden rel %.2e, logits rel %.2e%n", name, worstHidden, worstLogit);
        assertTrue(worstHidden < 1e-5, name + " hidden rel err " + worstHidden);
        assertTrue(worstLogit < 1e-5, name + " logits rel err " + worstLogit);
        // greedy: argmax of the teacher-forced logits reproduces the golden continuation
        int p = g.promptIds().length;
        int[] greedy = new int[g.greedyIds().length];
        for (int t = 0; t < greedy.length; t++) {
            greedy[t] = argmax(r.logits()[p - 1 + t]);
        }
        assertArrayEquals(g.greedyIds(), greedy);
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
