package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stats.json and thinking_tokens.jsonl as records: the bytes the ObjectNode code wrote, and read back equal. */
class StatsFileTest {
    @TempDir
    Path tmp;

    /** The code statsJson had before it built a record (the reference for the bytes). */
    private static ObjectNode oldStats(RunAnalysis a, AnalysisWriter.ThinkingTokensInfo tokensInfo) {
        RunConfig c = a.run().config();
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("run", a.run().name());
        o.put("model", c.model());
        o.put("dataset", c.dataset());
        o.put("estimator", c.estimatorDescription());
        o.set("layers", JsonFields.MAPPER.valueToTree(c.layers()));
        ObjectNode opts = o.putObject("options");
        opts.put("top_k", a.options().topK());
        ArrayNode rules = opts.putArray("rules");
        a.options().rules().forEach(r -> rules.add(r.key()));
        opts.put("layer", a.layer());
        opts.put("thinking_tokens_rule", a.options().tokenRule().key());
        opts.put("quartiles", "numpy.percentile linear (default) for Q1/Q3, numpy.median for the median");
        ObjectNode probs = o.putObject("problems");
        probs.put("ok", a.problems().size());
        probs.put("skipped", a.skippedCount());
        ObjectNode reasons = probs.putObject("skipped_reasons");
        a.skippedReasons().forEach(reasons::put);
        ArrayNode per = o.putArray("per_layer");
        for (LayerStats ls : a.perLayer().values()) {
            per.add(oldLayer(ls));
        }
        o.set("all_layers", oldLayer(a.allLayers()));
        if (tokensInfo != null) {
            ObjectNode t = o.putObject("thinking_tokens");
            t.put("layer", a.layer());
            t.put("rule", a.options().tokenRule().key());
            t.put("counted_peaks", a.thinkingTokens().total());
            t.put("special_tokens", a.thinkingTokens().includesSpecial() ? "included" : "left out");
            t.put("special_steps_left_out", tokensInfo.specialSteps());
            t.put("token_ids", tokensInfo.vocabulary()
                    ? "every vocabulary id whose single-id decoding has the word"
                    : "ids seen at peaks only (no vocabulary/tokenizer given)");
        }
        return o;
    }

    private static ObjectNode oldLayer(LayerStats ls) {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        if (ls.layer() == null) {
            o.put("layer", "all");
        } else {
            o.put("layer", ls.layer());
        }
        MiSummary m = ls.mi();
        ObjectNode mi = o.putObject("mi");
        mi.put("values", m.values());
        AnalysisWriter.num(mi, "mean", m.mean());
        AnalysisWriter.num(mi, "std", m.std());
        AnalysisWriter.num(mi, "aom", m.aom());
        mi.put("aom_problems", m.aomProblems());
        mi.put("aom_excluded_no_peak", m.aomNoPeak());
        mi.put("aom_excluded_zero_iqr", m.aomZeroIqr());
        mi.put("aom_excluded_empty", m.aomEmpty());
        ObjectNode t1 = o.putObject("table1");
        for (PeakTable t : ls.table1().values()) {
            ObjectNode r = t1.putObject(t.rule().key());
            r.put("problems", t.problems());
            r.put("mean_peaks", t.meanPeaks());
            r.put("mean_steps", t.meanSteps());
            AnalysisWriter.num(r, "ratio", t.ratio());
            AnalysisWriter.num(r, "pooled_ratio", t.pooledRatio());
            AnalysisWriter.num(r, "mean_interval", t.meanInterval());
            r.put("interval_problems", t.intervalProblems());
            r.put("interval_excluded_lt2_peaks", t.intervalExcluded());
        }
        return o;
    }

    private static String pretty(Object o) throws Exception {
        return JsonFields.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o);
    }

    @Test
    void statsHaveTheBytesOfTheTreeCode() throws Exception {
        Path dir = AnalysisTestRuns.synthetic(tmp.resolve("r"), 7, 1.0, List.of(2, 4));
        for (AnalysisOptions o : List.of(AnalysisOptions.defaults(), new AnalysisOptions(3, List.of(PeakRule.TOPK),
                null, 1))) {
            RunAnalysis a = RunAnalysis.analyze(RunReader.open(dir), o);
            for (AnalysisWriter.ThinkingTokensInfo info : java.util.Arrays.asList(null,
                    new AnalysisWriter.ThinkingTokensInfo(true, 3), new AnalysisWriter.ThinkingTokensInfo(false))) {
                assertEquals(pretty(oldStats(a, info)), pretty(StatsFile.of(a, info)));
                assertEquals(pretty(oldStats(a, info)), pretty(AnalysisWriter.statsJson(a, info)));
            }
            assertFalse(a.skippedReasons().isEmpty(), "the skipped problems' reasons are part of the comparison");
        }
    }

    @Test
    void statsReadBackEqual() throws Exception {
        Path dir = AnalysisTestRuns.synthetic(tmp.resolve("r"), 3, 1.0, List.of());
        StatsFile s = StatsFile.of(RunAnalysis.analyze(RunReader.open(dir), AnalysisOptions.defaults()),
                new AnalysisWriter.ThinkingTokensInfo(true, 1));
        assertEquals(s, JsonFields.MAPPER.readValue(pretty(s), StatsFile.class));
    }

    @Test
    void thinkingTokenRowsHaveTheOldBytesAndReadBack() throws Exception {
        List<ThinkingTokens.Row> rows = List.of(new ThinkingTokens.Row("So", 12, new int[] {2100, 4516}),
                new ThinkingTokens.Row("\t|x\"", 1, new int[] {7}));
        Path f = tmp.resolve("thinking_tokens.jsonl");
        AnalysisWriter.writeThinkingTokens(rows, f);
        StringBuilder old = new StringBuilder();
        for (ThinkingTokens.Row r : rows) {
            ObjectNode o = JsonFields.MAPPER.createObjectNode();
            o.put("word", r.word());
            o.put("freq", r.freq());
            o.set("token_ids", JsonFields.MAPPER.valueToTree(r.tokenIds()));
            o.put("shown", r.shown());
            old.append(JsonFields.MAPPER.writeValueAsString(o)).append('\n');
        }
        assertEquals(old.toString(), Files.readString(f));
        // lens_tokens.jsonl: the layer first, then the same fields
        ObjectNode lensOld = JsonFields.MAPPER.createObjectNode().put("layer", 4);
        lensOld.setAll((ObjectNode) JsonFields.MAPPER.readTree(Files.readAllLines(f).get(1)));
        assertEquals(JsonFields.MAPPER.writeValueAsString(lensOld),
                JsonFields.MAPPER.writeValueAsString(new LogitLens.LayerRow(4, rows.get(1))));
        ThinkingTokens.Row back = JsonFields.MAPPER.readValue(Files.readAllLines(f).get(1), ThinkingTokens.Row.class);
        assertEquals(rows.get(1).word(), back.word());
        assertEquals(rows.get(1).freq(), back.freq());
        assertArrayEquals(rows.get(1).tokenIds(), back.tokenIds());
    }
}
