package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep as `peaks --sigma 50,100,200,400` runs it (the registry's fast nhsic, one file open per problem, all
 * widths on shared states) against recomputing each width from scratch with the dense float64 reference, on the
 * shared golden run (real tiny-qwen2 states): the same MI at every step and width, and the same peak sets.
 */
class SigmaSweepRegistryTest {
    @TempDir
    Path tmp;

    @Test
    void registrySweepEqualsTheDenseReferenceAtEveryWidth() throws Exception {
        GoldenRun g = GoldenRun.loadOrSkip();
        RunData run = RunReader.open(g.writeRun(tmp.resolve("golden")));
        List<String> sigmas = List.of("50", "100", "200", "400");
        List<SigmaSweep.ProblemSweep> seen = new ArrayList<>();
        SigmaSweep.Result res = SigmaSweep.run(run, sigmas, SigmaSweep.fromRegistry(run.config()), 2, 5, seen::add);
        assertEquals(run.okEntries().size() * run.config().layers().size(), seen.size());
        double[][] jIqr = new double[sigmas.size()][sigmas.size()];
        int lastLayer = run.config().layers().get(run.config().layers().size() - 1);
        for (SigmaSweep.ProblemSweep ps : seen) {
            int[][] peaks = new int[sigmas.size()][];
            double[][] scratch = SigmaSweepTest.fromScratch(run, ps, sigmas);
            for (int a = 0; a < sigmas.size(); a++) {
                double[] want = scratch[a];
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], ps.mi()[a][i], 1e-7 * Math.max(1e-3, Math.abs(want[i])),
                            "problem " + ps.index() + " layer " + ps.layer() + " sigma " + sigmas.get(a) + " step " + i);
                }
                peaks[a] = Peaks.iqrRule(want);
                assertArrayEquals(peaks[a], Peaks.iqrRule(ps.mi()[a]));
            }
            if (ps.layer() == lastLayer) {
                for (int a = 0; a < sigmas.size(); a++) {
                    for (int b = 0; b < sigmas.size(); b++) {
                        jIqr[a][b] += Peaks.jaccard(peaks[a], peaks[b]) / run.okEntries().size();
                    }
                }
            }
        }
        double[][] got = res.jaccard().get(lastLayer).get(PeakRule.IQR);
        for (int a = 0; a < sigmas.size(); a++) {
            assertArrayEquals(jIqr[a], got[a], 1e-12);
        }
    }
}
