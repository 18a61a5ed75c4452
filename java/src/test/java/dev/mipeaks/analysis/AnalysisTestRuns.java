package dev.mipeaks.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Public entry to the package's test fixtures for tests in other packages (the CLI tests). */
public final class AnalysisTestRuns {
    private AnalysisTestRuns() {
    }

    /** A synthetic run of 6 problems (layers 2 and 5); {@code skipped} indices are written as skipped. */
    public static Path synthetic(Path dir, long seed, double miScale, List<Integer> skipped) throws IOException {
        SyntheticRun s = new SyntheticRun();
        s.seed = seed;
        s.miScale = miScale;
        s.skipped = skipped;
        return s.write(dir);
    }

    public static Path withLayers(Path dir, List<Integer> layers) throws IOException {
        SyntheticRun s = new SyntheticRun();
        s.layers = layers;
        return s.write(dir);
    }

    /** The shared golden as a run folder, or a skipped test when ../shared is absent. */
    public static Path goldenOrSkip(Path dir) throws IOException {
        return GoldenRun.loadOrSkip().writeRun(dir);
    }

    /** top5_steps_per_layer of the golden: [problem][layer][5]. */
    public static int[][][] goldenTop5() {
        GoldenRun g = GoldenRun.loadOrSkip();
        int[][][] out = new int[g.problems()][][];
        for (int p = 0; p < out.length; p++) {
            out[p] = g.top5(p);
        }
        return out;
    }
}
