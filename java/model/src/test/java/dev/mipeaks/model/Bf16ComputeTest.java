package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.TestMath;
import dev.mipeaks.io.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Computing in bf16 on the CPU: a bf16 checkpoint stays memory-mapped (resident memory grows by about the file,
 * not twice it), and the results stay close to the float64 goldens.
 */
class Bf16ComputeTest {
    @TempDir
    Path tmp;

    @Test
    void bf16ComputeTracksTheGoldens() {
        Path dir = SharedModels.model("tiny-qwen2");
        SharedModels.Golden g = SharedModels.golden(dir);
        int[] seq = g.fullSequence();
        try (LlamaModel m = LlamaModel.load(dir, new LlamaModel.Options("cpu", "bf16"));
             DecodeSession s = new DecodeSession(m, 1, seq.length)) {
            assertEquals("bf16", m.dtypeName());
            DecodeSession.TeacherForced r = s.prefillAll(seq);
            // relative Frobenius error of the last layer's states and of the logits, over all positions
            double dh = 0;
            double nh = 0;
            double dl = 0;
            double nl = 0;
            int agree = 0;
            for (int pos = 0; pos < seq.length; pos++) {
                for (int i = 0; i < g.hidden(); i++) {
                    double want = g.layerOutput(g.layers() - 1, pos, i);
                    dh += sq(r.hidden()[g.layers() - 1][pos][i] - want);
                    nh += sq(want);
                }
                double[] want = new double[g.vocab()];
                for (int v = 0; v < g.vocab(); v++) {
                    want[v] = g.logit(pos, v);
                    dl += sq(r.logits()[pos][v] - want[v]);
                    nl += sq(want[v]);
                }
                agree += TestMath.argmax(r.logits()[pos]) == TestMath.argmax(want) ? 1 : 0;
            }
            double eh = Math.sqrt(dh / nh);
            double el = Math.sqrt(dl / nl);
            System.out.printf("bf16 compute: hidden rel err %.2e, logits rel err %.2e, argmax agrees at %d/%d%n",
                    eh, el, agree, seq.length);
            assertTrue(eh < 5e-2 && el < 5e-2, "bf16 errors " + eh + ", " + el);
            assertTrue(agree >= seq.length * 9 / 10, "argmax agreement " + agree);
        }
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Resident anonymous memory (copies), from /proc/self/status; -1 where unavailable. */
    static long rssAnon() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("RssAnon:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }

    @Test
    void bf16CheckpointIsNotCopied() throws Exception {
        Path dir = tmp.resolve("m");
        // ~258 MB of bf16 weights: a copy would stand well above the allocator and heap noise
        RandomCheckpoint.write(dir, new RandomCheckpoint.Shape(1024, 4096, 7, 8, 8, 8192), DType.BF16, 3);
        long file = Files.size(dir.resolve("model.safetensors"));
        org.junit.jupiter.api.Assumptions.assumeTrue(rssAnon() >= 0, "no /proc/self/status");
        System.gc();
        long before = rssAnon();
        try (LlamaModel m = LlamaModel.load(dir, new LlamaModel.Options("cpu", "bf16"));
             DecodeSession s = new DecodeSession(m, 1, 8)) {
            s.prefill(new int[][] {{1, 2, 3}}, new int[0], null); // touches every weight page
            long grown = rssAnon() - before;
            System.out.printf("bf16 checkpoint of %d MB computed in bf16: anonymous memory +%d MB%n", file >> 20,
                    grown >> 20);
            assertEquals(m.weightBytes(), m.mappedBytes(), "every weight used in place");
            assertTrue(grown < (file >> 2) + (96L << 20), "copied: +" + grown + " bytes for a file of " + file);
        }
        System.gc();
        before = rssAnon();
        try (LlamaModel m = LlamaModel.load(dir, new LlamaModel.Options("cpu", "f32"))) {
            long grown = rssAnon() - before;
            System.out.printf("the same computed in f32: anonymous memory +%d MB (converted copy)%n", grown >> 20);
            assertEquals(0, m.mappedBytes(), "f32 compute converts every bf16 weight");
        }
    }
}
