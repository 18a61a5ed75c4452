package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mipeaks.io.SafetensorsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
            ManifestEntry e = run.okEntries().stream().filter(m -> m.index() == ps.index()).findFirst().orElseThrow();
            int[][] peaks = new int[sigmas.size()][];
            try (SafetensorsFile f = SafetensorsFile.open(run.tensorsFile(e))) {
                double[] h = f.doubles(RunLayout.hidden(ps.layer()));
                double[] gt = f.doubles(RunLayout.gtHidden(ps.layer()));
                int t = h.length / gt.length;
                for (int a = 0; a < sigmas.size(); a++) {
                    dev.mipeaks.mi.Estimator ref = denseNhsic(Double.parseDouble(sigmas.get(a)));
                    double[] want = new double[t];
                    for (int i = 0; i < t; i++) {
                        want[i] = ref.estimate(Arrays.copyOfRange(h, i * gt.length, (i + 1) * gt.length), gt).value();
                        assertEquals(want[i], ps.mi()[a][i], 1e-7 * Math.max(1e-3, Math.abs(want[i])),
                                "problem " + ps.index() + " layer " + ps.layer() + " sigma " + sigmas.get(a) + " step " + i);
                    }
                    peaks[a] = Peaks.iqrRule(want);
                    assertArrayEquals(peaks[a], Peaks.iqrRule(ps.mi()[a]));
                }
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

    /** The dense float64 reference nhsic of the MI engine (mi.reference.DenseReference), at width {@code sigma}. */
    static dev.mipeaks.mi.Estimator denseNhsic(double sigma) {
        return dev.mipeaks.mi.EstimatorRegistry.load().create("nhsic-ref", java.util.Map.of("sigma", Double.toString(sigma)));
    }
}
