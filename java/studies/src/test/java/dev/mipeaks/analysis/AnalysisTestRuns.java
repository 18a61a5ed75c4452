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

    /**
     * A peaks.jsonl / lens.jsonl rule object's steps in rank order (largest MI first), rebuilt from "peak_steps" (which
     * must be in step order) and "ranks"; without "ranks" (the IQR rule) the steps as written.
     */
    public static int[] stepsInRankOrder(com.fasterxml.jackson.databind.JsonNode rule) {
        com.fasterxml.jackson.databind.JsonNode steps = rule.get("peak_steps");
        com.fasterxml.jackson.databind.JsonNode ranks = rule.get("ranks");
        int[] out = new int[steps.size()];
        for (int i = 0; i < out.length; i++) {
            if (i > 0 && steps.get(i).asInt() <= steps.get(i - 1).asInt()) {
                throw new AssertionError("peak_steps not in step order: " + rule);
            }
            out[ranks == null ? i : ranks.get(i).asInt() - 1] = steps.get(i).asInt();
        }
        return out;
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
