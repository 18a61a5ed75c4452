package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.TestMath;
import java.nio.file.Path;

/** The plain-Java float64 reference against the shared goldens (an independent float64 implementation). */
class ReferenceModelTest {

    @EachSharedModel
    void matchesGoldens(String name) {
        SharedModels.Golden g = SharedModels.golden(name);
        Path dir = g.dir();
        ReferenceModel ref = ReferenceModel.load(dir);
        int[] seq = g.fullSequence();
        ReferenceModel.Result r = ref.forward(seq);
        double worstHidden = 0;
        double worstLogit = 0;
        for (int pos = 0; pos < seq.length; pos++) {
            for (int l = 0; l < g.layers(); l++) {
                worstHidden = Math.max(worstHidden, TestMath.relErr(r.hidden()[l][pos], g.hiddenAt(l, pos)));
            }
            worstLogit = Math.max(worstLogit, TestMath.relErr(r.logits()[pos], g.logitsAt(pos)));
        }
        System.out.printf("%s: reference vs golden: hidden rel %.2e, logits rel %.2e%n", name, worstHidden, worstLogit);
        assertTrue(worstHidden < 1e-5, name + " hidden rel err " + worstHidden);
        assertTrue(worstLogit < 1e-5, name + " logits rel err " + worstLogit);
        // greedy: argmax of the teacher-forced logits reproduces the golden continuation
        int p = g.promptIds().length;
        int[] greedy = new int[g.greedyIds().length];
        for (int t = 0; t < greedy.length; t++) {
            greedy[t] = TestMath.argmax(r.logits()[p - 1 + t]);
        }
        assertArrayEquals(g.greedyIds(), greedy);
    }
}
