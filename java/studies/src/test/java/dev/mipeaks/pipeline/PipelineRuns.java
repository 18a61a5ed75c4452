package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.demo.DemoModel;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.Matrix;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.mi.CpuMiBackend;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Helpers shared by the pipeline tests: a small demo-model suite, file comparisons. */
final class PipelineRuns {
    private PipelineRuns() {
    }

    /** The demo model (seed 7) and a dataset of {@code n} short problems built from the shipped demo problems. */
    static Path demoModel(Path dir) throws IOException {
        return DemoModel.write(dir, 7);
    }

    static Path demoProblems(Path file, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        List<String> shipped;
        try (var in = PipelineRuns.class.getClassLoader().getResourceAsStream("demo/problems.jsonl")) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(s -> !s.isBlank()).toList();
        }
        for (int i = 0; i < n; i++) {
            // distinct ids; the text varies too so that problems differ
            String s = shipped.get(i % shipped.size());
            lines.add(s.replaceFirst("\"unique_id\": \"[^\"]*\"", "\"unique_id\": \"p" + i + "\"")
                    .replaceFirst("\"problem\": \"", "\"problem\": \"(" + i + ") "));
        }
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** Every problems/* file name (sorted) of a run. */
    static List<String> problemFiles(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run.resolve(RunLayout.PROBLEMS_DIR))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Asserts byte-identical problem files and equal manifest lines (sorted by index when {@code sortManifest}). */
    static void assertSameResults(Path want, Path got, boolean sortManifest) throws IOException {
        List<String> files = problemFiles(want);
        assertEquals(files, problemFiles(got), "problem files of " + got);
        for (String f : files) {
            Path a = want.resolve(RunLayout.PROBLEMS_DIR).resolve(f);
            Path b = got.resolve(RunLayout.PROBLEMS_DIR).resolve(f);
            assertEquals(-1L, Files.mismatch(a, b), "problems/" + f + " differs between " + want + " and " + got);
        }
        List<String> ma = Files.readAllLines(want.resolve(RunLayout.MANIFEST));
        List<String> mb = Files.readAllLines(got.resolve(RunLayout.MANIFEST));
        if (sortManifest) {
            ma = sortByIndex(ma);
            mb = sortByIndex(mb);
        }
        assertEquals(ma, mb, "manifest lines");
    }

    static List<String> sortByIndex(List<String> lines) {
        return lines.stream().sorted(java.util.Comparator.comparingInt(s -> Integer.parseInt(
                s.replaceAll("^\\{\"index\":(\\d+),.*$", "$1")))).toList();
    }

    /**
     * The MI the CPU estimator gives on the states a problem file stores: every mi.{l} must equal it bit for bit.
     * Returns [layer][step].
     */
    static double[][] recomputeAndCheck(Path tensors, int[] layers, Map<String, String> params) {
        Estimator est = EstimatorRegistry.load().create("nhsic", params);
        double[][] out = new double[layers.length][];
        try (SafetensorsFile f = SafetensorsFile.open(tensors);
             CpuMiBackend cpu = new CpuMiBackend(est, 1)) {
            for (int i = 0; i < layers.length; i++) {
                int l = layers[i];
                Matrix x = f.matrix(RunLayout.hidden(l));
                Matrix y = f.matrix(RunLayout.gtHidden(l));
                assertEquals(1, y.rows());
                assertEquals(f.info(RunLayout.hidden(l)).dtype(), f.info(RunLayout.gtHidden(l)).dtype());
                Estimate[] e = cpu.estimate(x, y);
                double[] want = new double[e.length];
                for (int t = 0; t < e.length; t++) {
                    want[t] = e[t].value();
                }
                assertEquals(DType.F64, f.info(RunLayout.mi(l)).dtype());
                assertArrayEquals(want, f.doubles(RunLayout.mi(l)), tensors + ": mi." + l
                        + " is not the CPU estimator's value on the stored states");
                out[i] = want;
            }
        }
        return out;
    }
}
