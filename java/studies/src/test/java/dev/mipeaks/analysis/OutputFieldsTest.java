package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The field names of the run folder's files as README's "Output files and fields" table lists them, so that a renamed
 * or added field is a deliberate change (this test and the table together), and the conventions: a list of peak steps
 * is "peak_steps", in step order; "steps" is a count; numbers in estimator descriptions are written plainly.
 */
class OutputFieldsTest {
    @TempDir
    Path tmp;

    static Set<String> names(JsonNode n) {
        Set<String> s = new LinkedHashSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            s.add(it.next());
        }
        return s;
    }

    static Set<String> set(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    @Test
    void runFolderFilesHaveTheDocumentedFields() throws Exception {
        Path dir = new SyntheticRun().write(tmp.resolve("r"));
        RunOutputs.peaks(dir, AnalysisOptions.defaults(), SyntheticRun.VOCABULARY, List.of(), null, 1);

        List<String> peaks = Files.readAllLines(dir.resolve(RunLayout.PEAKS));
        assertFalse(peaks.isEmpty());
        for (String line : peaks) {
            JsonNode n = JsonFields.MAPPER.readTree(line);
            assertEquals(set("index", "id", "layer", "steps", "q1", "median", "q3", "threshold", "mean", "std", "aom",
                    "aom_status", "iqr", "topk"), names(n), line);
            assertTrue(n.get("steps").isInt(), "steps is a count: " + line);
            assertEquals(set("peak_steps", "tokens", "token_ids", "shown"), names(n.get("iqr")), line);
            assertEquals(set("k", "peak_steps", "ranks", "tokens", "token_ids", "shown"), names(n.get("topk")), line);
            for (String rule : List.of("iqr", "topk")) {
                int[] steps = JsonFields.MAPPER.convertValue(n.get(rule).get("peak_steps"), int[].class);
                int[] sorted = steps.clone();
                Arrays.sort(sorted);
                assertTrue(Arrays.equals(sorted, steps), rule + " peak_steps in step order: " + line);
                assertEquals(steps.length, n.get(rule).get("tokens").size());
            }
            // ranks are a permutation of 1..k, and in rank order the MI does not increase
            int[] ranks = JsonFields.MAPPER.convertValue(n.get("topk").get("ranks"), int[].class);
            int[] r = ranks.clone();
            Arrays.sort(r);
            for (int i = 0; i < r.length; i++) {
                assertEquals(i + 1, r[i], line);
            }
            JsonNode pj = JsonFields.readFile(dir.resolve(RunLayout.problemJson(n.get("index").asInt())));
            JsonNode mi = pj.get("mi").get(Integer.toString(n.get("layer").asInt()));
            int[] byRank = AnalysisTestRuns.stepsInRankOrder(n.get("topk"));
            for (int i = 1; i < byRank.length; i++) {
                assertTrue(mi.get(byRank[i - 1]).asDouble() >= mi.get(byRank[i]).asDouble(), line);
            }
        }

        JsonNode stats = JsonFields.readFile(dir.resolve(RunLayout.STATS));
        assertEquals(set("run", "model", "dataset", "estimator", "layers", "options", "problems", "per_layer",
                "all_layers", "thinking_tokens"), names(stats));
        assertEquals(set("layer", "rule", "counted_peaks", "special_tokens", "special_steps_left_out", "token_ids"),
                names(stats.get("thinking_tokens")));
        assertFalse(stats.get("estimator").asText().contains("E-"), stats.get("estimator").asText());

        for (String line : Files.readAllLines(dir.resolve(RunLayout.THINKING_TOKENS))) {
            assertEquals(set("word", "freq", "token_ids", "shown"), names(JsonFields.MAPPER.readTree(line)), line);
        }
        JsonNode problem = JsonFields.readFile(dir.resolve(RunLayout.problemJson(0)));
        assertEquals(set("index", "id", "problem", "answer", "response", "stop_reason", "prompt_ids", "token_ids",
                "tokens", "layers", "estimator", "mi"), names(problem));
        for (String line : Files.readAllLines(dir.resolve(RunLayout.MANIFEST))) {
            Set<String> m = names(JsonFields.MAPPER.readTree(line));
            assertTrue(Set.of("index", "id", "status", "reason", "file").containsAll(m), line);
            assertTrue(m.containsAll(Set.of("index", "id", "status")), line);
        }
    }

    @Test
    void sigmaSweepWritesItsWidthsAsNumbersAndStillReadsThemAsText() throws Exception {
        Path dir = new SyntheticRun().write(tmp.resolve("s"));
        RunOutputs.peaks(dir, AnalysisOptions.defaults(), null, List.of("50", "2e2"),
                SigmaSweep.fromRegistry(RunReader.open(dir).config()), 1);
        JsonNode sweep = JsonFields.readFile(dir.resolve(RunLayout.SIGMA_SWEEP));
        assertEquals(set("estimator", "sigmas", "problems", "top_k", "jaccard", "per_layer"), names(sweep));
        assertEquals(set("layer", "mean_mi", "rules"), names(sweep.get("per_layer").get(0)));
        assertTrue(sweep.get("sigmas").get(0).isNumber() && sweep.get("sigmas").get(1).isNumber(), sweep.toString());
        assertEquals(List.of("50", "200"), SweepJson.sigmas(sweep));
        assertTrue(dev.mipeaks.report.SweepReport.markdown(sweep, AnalysisOptions.defaults().rules(), 20, false)
                .startsWith("Widths: sigma=50, sigma=200 over"));
        // a file written before (widths as text) reads as it did
        JsonNode old = JsonFields.MAPPER.readTree("{\"sigmas\": [\"50\", \"median\"]}");
        assertEquals(List.of("50", "median"), SweepJson.sigmas(old));
    }

    @Test
    void estimatorDescriptionsWriteNumbersPlainly() {
        Map<String, Object> params = new HashMap<>();
        params.put("sigma", 50.0);
        params.put("eps", 1.0E-5);
        RunConfig c = new RunConfig("m", "d", List.of(1), "nhsic", params, 10, "raw", "now", null);
        assertEquals("nhsic eps=0.00001 sigma=50", c.estimatorDescription());
        params.put("sigma", "median");
        params.put("eps", 1.0E-12);
        assertEquals("nhsic eps=0.000000000001 sigma=median",
                new RunConfig("m", "d", List.of(1), "nhsic", params, 10, "raw", "now", null).estimatorDescription());
        assertEquals("0.5", PlainNumber.format(0.5));
        assertEquals("1234567", PlainNumber.format(1234567.0));
        assertEquals("-2.25", PlainNumber.format(-2.25f));
        assertEquals("0", PlainNumber.format(-0.0));
        assertEquals("NaN", PlainNumber.format(Double.NaN));
        assertEquals("3", PlainNumber.format(3));
    }
}
