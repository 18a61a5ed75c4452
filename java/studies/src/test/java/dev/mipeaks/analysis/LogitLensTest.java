package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.model.LlamaModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The logit lens over real runs of the shared tiny models. */
class LogitLensTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"tiny-qwen2,3", "tiny-llama31,2"})
    void lastLayerLensIsTheGeneratedTokenAndPeakStepsMatchTheFullLens(String name, int layers) throws Exception {
        int[] all = java.util.stream.IntStream.range(0, layers).toArray();
        RunData run = RunReader.open(RealRun.write(tmp.resolve(name), name, 2, 40, all, "50"));
        AnalysisOptions opt = new AnalysisOptions(5, List.of(PeakRule.IQR, PeakRule.TOPK), null, 1);
        try (LlamaModel m = LlamaModel.load(RealRun.model(name), LlamaModel.Options.defaults())) {
            List<LogitLens.LayerLens> full = new ArrayList<>();
            LogitLens.run(run, run.config().layers(), m::lensArgmax, id -> "#" + id, null, opt, true,
                    tmp.resolve(name + "-full"), full::add);
            List<LogitLens.LayerLens> peaks = new ArrayList<>();
            LogitLens.Result r = LogitLens.run(run, run.config().layers(), m::lensArgmax, id -> "#" + id, null, opt,
                    false, tmp.resolve(name + "-peaks"), peaks::add);
            assertEquals(2 * layers, full.size());
            Map<String, LogitLens.LayerLens> byKey = new HashMap<>();
            int lastLayerSteps = 0;
            for (LogitLens.LayerLens f : full) {
                ProblemRecord p = run.problem(run.okEntries().get(f.index()));
                assertEquals(p.steps(), f.steps().length);
                if (f.layer() == layers - 1) {
                    // greedy decoding chose exactly the head's argmax of the last layer's state
                    assertArrayEquals(p.tokenIds(), f.lensIds(), name + " problem " + f.index());
                    lastLayerSteps += f.steps().length;
                }
                byKey.put(f.index() + "/" + f.layer(), f);
            }
            assertTrue(lastLayerSteps >= 40, "steps " + lastLayerSteps);
            assertEquals(1.0, r.agreement().get(layers - 1), 0.0);
            int subsets = 0;
            for (LogitLens.LayerLens pk : peaks) {
                LogitLens.LayerLens f = byKey.get(pk.index() + "/" + pk.layer());
                assertTrue(pk.steps().length >= Math.min(5, f.steps().length) && pk.steps().length <= f.steps().length);
                if (pk.steps().length < f.steps().length) {
                    subsets++;
                }
                for (int s : pk.steps()) {
                    assertEquals(f.lensAt(s), pk.lensAt(s), "step " + s);
                }
            }
            assertTrue(subsets > 0, "the peak-only lens never skipped a step");
            // lens_tokens.jsonl of the last layer counts the generated tokens at the top-k peaks
            ThinkingTokens want = new ThinkingTokens();
            for (LogitLens.LayerLens pk : peaks) {
                if (pk.layer() == layers - 1) {
                    ProblemRecord p = run.problem(run.okEntries().get(pk.index()));
                    for (int s : pk.topkPeaks()) {
                        want.add("#" + p.tokenIds()[s], p.tokenIds()[s]);
                    }
                }
            }
            assertTrue(want.total() > 0);
            List<ThinkingTokens.Row> got = LogitLens.rows(r, layers - 1, null);
            List<ThinkingTokens.Row> exp = want.rows(null);
            assertEquals(exp.size(), got.size());
            for (int i = 0; i < exp.size(); i++) {
                assertEquals(exp.get(i).word(), got.get(i).word());
                assertEquals(exp.get(i).freq(), got.get(i).freq());
            }
            List<String> lines = Files.readAllLines(tmp.resolve(name + "-peaks").resolve(LogitLens.LENS_TOKENS));
            assertTrue(lines.get(0).startsWith("{\"layer\":0,\"word\":"), lines.get(0));
            // lens.jsonl: its documented fields; peak steps in step order, top-k ranks give back the rank order
            Map<String, LogitLens.LayerLens> peakByKey = new HashMap<>();
            peaks.forEach(pk -> peakByKey.put(pk.index() + "/" + pk.layer(), pk));
            for (String line : Files.readAllLines(tmp.resolve(name + "-peaks").resolve(LogitLens.LENS))) {
                com.fasterxml.jackson.databind.JsonNode n = JsonFields.MAPPER.readTree(line);
                java.util.Set<String> fields = OutputFieldsTest.set("index", "id", "layer", "steps", "lensed_steps",
                        "agreement", "iqr", "topk");
                if (n.get("steps").asInt() > 0 && n.get("lensed_steps").asInt() == n.get("steps").asInt()) {
                    fields.add("lens_ids");      // every step was lensed (the peaks cover them all)
                }
                assertEquals(fields, OutputFieldsTest.names(n), line);
                assertEquals(OutputFieldsTest.set("peak_steps", "generated_ids", "lens_ids", "lens_tokens",
                        "lens_shown"), OutputFieldsTest.names(n.get("iqr")), line);
                assertEquals(OutputFieldsTest.set("peak_steps", "ranks", "generated_ids", "lens_ids", "lens_tokens",
                        "lens_shown"), OutputFieldsTest.names(n.get("topk")), line);
                LogitLens.LayerLens pk = peakByKey.get(n.get("index").asInt() + "/" + n.get("layer").asInt());
                assertArrayEquals(pk.topkPeaks(), AnalysisTestRuns.stepsInRankOrder(n.get("topk")), line);
                assertArrayEquals(pk.iqrPeaks(), AnalysisTestRuns.stepsInRankOrder(n.get("iqr")), line);
            }
        }
    }

    @Test
    void missingStatesAndUnknownLayersAreExitTwo() throws Exception {
        RunData run = RunReader.open(RealRun.write(tmp.resolve("r"), "tiny-qwen2", 1, 8, new int[] {1, 2}, "50"));
        AnalysisOptions opt = AnalysisOptions.defaults();
        LogitLens.Lens never = s -> {
            throw new AssertionError("lens called");
        };
        MipeaksException e = assertThrows(MipeaksException.class, () -> LogitLens.run(run, List.of(0), never,
                id -> "", null, opt, false, tmp.resolve("o"), null));
        assertTrue(e.getMessage().contains("--layer 0") && e.getMessage().contains("[1, 2]"), e.getMessage());
        Files.delete(run.tensorsFile(run.okEntries().get(0)));
        e = assertThrows(MipeaksException.class, () -> LogitLens.run(run, List.of(1), never, id -> "", null, opt,
                false, tmp.resolve("o"), null));
        assertTrue(e.getMessage().contains("00000.safetensors") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
