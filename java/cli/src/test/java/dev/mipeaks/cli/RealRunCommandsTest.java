package dev.mipeaks.cli;

import static dev.mipeaks.CliResult.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.analysis.AnalysisTestRuns;
import dev.mipeaks.analysis.RealRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare, peaks --sigma and lens on runs written from real generations of the shared tiny models. */
class RealRunCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Mean and population std of every MI value of a layer over a run's problem files, by hand. */
    static double[] meanStd(Path run, int layer) throws Exception {
        List<Double> v = new ArrayList<>();
        try (var s = Files.list(run.resolve("problems"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JSON.readTree(p.toFile()).get("mi").get(Integer.toString(layer)).forEach(x -> v.add(x.asDouble()));
            }
        }
        double mean = v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
        double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / v.size();
        return new double[] {mean, Math.sqrt(ss)};
    }

    @Test
    void compareTwoModelsOnTheSameProblems() throws Exception {
        Path a = RealRun.write(tmp.resolve("qwen"), "tiny-qwen2", 2, 24, new int[] {0, 1}, "50");
        Path b = RealRun.write(tmp.resolve("llama"), "tiny-llama31", 2, 24, new int[] {0, 1}, "50");
        Path out = tmp.resolve("cmp");
        var r = run("compare", a.toString(), b.toString(), "--out", out.toString(), "--layer", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().isEmpty(), r.err());   // same problems, layers, estimator: no --force needed
        JsonNode cmp = JSON.readTree(out.resolve("compare.json").toFile());
        assertEquals(0, cmp.get("differences").size());
        for (Path run : List.of(a, b)) {
            JsonNode perLayer = cmp.get("runs").get(run.getFileName().toString()).get("per_layer");
            for (JsonNode ls : perLayer) {
                double[] want = meanStd(run, ls.get("layer").asInt());
                assertEquals(want[0], ls.get("mi").get("mean").asDouble(), 1e-12 * Math.abs(want[0]));
                assertEquals(want[1], ls.get("mi").get("std").asDouble(), 1e-9 * want[1]);
            }
        }
        assertTrue(Files.readString(out.resolve("compare.md")).contains("| qwen |"));
        assertTrue(Files.isRegularFile(out.resolve("plots/mi_histograms.png")));
    }

    @Test
    void lensCommandCountsGeneratedTokensOnTheLastLayerAndPeaksSigmaSweepRuns() throws Exception {
        Path model = RealRun.model("tiny-qwen2");
        Path a = RealRun.write(tmp.resolve("qwen"), "tiny-qwen2", 2, 32, new int[] {0, 1, 2}, "50");
        var r = run("peaks", a.toString(), "--top-k", "5", "--sigma", "50,100,200,400", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        JsonNode sweep = JSON.readTree(a.resolve("sigma_sweep.json").toFile());
        assertTrue(sweep.toString().contains("400"), sweep.toString());
        r = run("lens", a.toString(), "--model", model.toString(), "--top-k", "5", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("layer 2: lens = generated token at 100.0% of lensed steps"), r.out());
        List<String> lens = Files.readAllLines(a.resolve("lens.jsonl"));
        assertEquals(2 * 3, lens.size());
        for (String line : lens) {
            JsonNode n = JSON.readTree(line);
            for (String rule : List.of("iqr", "topk")) {
                JsonNode p = n.get(rule);
                assertEquals(p.get("peak_steps").size(), p.get("lens_tokens").size());
                AnalysisTestRuns.stepsInRankOrder(p);   // step order
                if (n.get("layer").asInt() == 2) {
                    assertEquals(p.get("generated_ids"), p.get("lens_ids"), line);
                }
            }
        }
        // on the last layer the lens tokens at top-k peaks are the thinking tokens `peaks` counted
        Map<String, Long> thinking = new HashMap<>();
        for (String s : Files.readAllLines(a.resolve("thinking_tokens.jsonl"))) {
            JsonNode n = JSON.readTree(s);
            thinking.put(n.get("word").asText(), n.get("freq").asLong());
        }
        Map<String, Long> lensLast = new HashMap<>();
        for (String s : Files.readAllLines(a.resolve("lens_tokens.jsonl"))) {
            JsonNode n = JSON.readTree(s);
            if (n.get("layer").asInt() == 2) {
                lensLast.put(n.get("word").asText(), n.get("freq").asLong());
            }
        }
        assertEquals(thinking, lensLast);

        r = run("lens", a.toString(), "--model", model.toString(), "--layer", "7");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--layer 7"), r.err());
    }
}
