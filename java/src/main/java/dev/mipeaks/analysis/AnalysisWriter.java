package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the outputs of `mipeaks peaks` into the run folder, each atomically: peaks.jsonl, stats.json and
 * thinking_tokens.jsonl. Undefined statistics are JSON null (never NaN), with counts saying why.
 */
public final class AnalysisWriter {
    private AnalysisWriter() {
    }

    /**
     * One line per problem and layer: steps (the count), quartiles, and per rule the peak steps in step order with
     * their tokens (top-k also with each step's rank).
     */
    public static void writePeaks(RunAnalysis a, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            for (RunAnalysis.ProblemPeaks p : a.problems()) {
                for (Map.Entry<Integer, RunAnalysis.LayerPeaks> e : p.layers().entrySet()) {
                    w.write(JsonFields.MAPPER.writeValueAsString(peaksLine(a, p, e.getKey(), e.getValue())));
                    w.write('\n');
                }
            }
            w.flush();
        });
    }

    static PeaksLine peaksLine(RunAnalysis a, RunAnalysis.ProblemPeaks p, int layer, RunAnalysis.LayerPeaks lp) {
        SequenceStats s = lp.stats();
        Map<String, PeaksLine.RulePeaks> rules = new java.util.LinkedHashMap<>();
        for (PeakRule r : a.options().rules()) {
            // every list in step order, aligned; top-k also says each step's rank (1 = largest MI)
            int[] peaks = s.peaks(r);
            int[] order = Peaks.stepOrder(peaks);
            List<Integer> steps = new java.util.ArrayList<>();
            List<Integer> ranks = r == PeakRule.TOPK ? new java.util.ArrayList<>() : null;
            List<String> toks = new java.util.ArrayList<>();
            List<Integer> ids = new java.util.ArrayList<>();
            List<String> shown = new java.util.ArrayList<>();
            for (int i : order) {
                steps.add(peaks[i]);
                if (ranks != null) {
                    ranks.add(i + 1);
                }
                String tok = lp.tokens(r).get(i);
                int id = lp.ids(r)[i];
                toks.add(tok);
                ids.add(id);
                shown.add(TokenText.show(tok, id));
            }
            rules.put(r.key(), new PeaksLine.RulePeaks(r == PeakRule.TOPK ? a.options().topK() : null, steps, ranks,
                    toks, ids, shown));
        }
        Quartiles q = s.quartiles();
        return new PeaksLine(p.index(), p.id(), layer, p.steps(), q == null ? null : q.q1(),
                q == null ? null : q.median(), q == null ? null : q.q3(), q == null ? null : q.upperFence(),
                s.steps() == 0 ? null : s.mean(), s.steps() == 0 ? null : s.std(),
                s.aomStatus() == SequenceStats.AomStatus.OK ? s.aom() : null,
                s.aomStatus().name().toLowerCase(java.util.Locale.ROOT), rules);
    }

    static void num(ObjectNode o, String name, Double v) {
        if (v == null || !Double.isFinite(v)) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }

    /** stats.json: run description, problem counts, then Table 1 and MI statistics per layer and over all layers. */
    public static ObjectNode statsJson(RunAnalysis a, ThinkingTokensInfo tokensInfo) {
        RunConfig c = a.run().config();
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("run", a.run().name());
        o.put("model", c.model());
        o.put("dataset", c.dataset());
        o.put("estimator", c.estimatorDescription());
        ArrayNode layers = o.putArray("layers");
        c.layers().forEach(layers::add);
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
            per.add(layerJson(ls));
        }
        o.set("all_layers", layerJson(a.allLayers()));
        if (tokensInfo != null) {
            ObjectNode t = o.putObject("thinking_tokens");
            t.put("layer", a.layer());
            t.put("rule", a.options().tokenRule().key());
            t.put("counted_peaks", a.thinkingTokens().total());   // a count; "peak_steps" is always a list
            t.put("special_tokens", a.thinkingTokens().includesSpecial() ? "included" : "left out");
            t.put("special_steps_left_out", tokensInfo.specialSteps());
            t.put("token_ids", tokensInfo.vocabulary()
                    ? "every vocabulary id whose single-id decoding has the word"
                    : "ids seen at peaks only (no vocabulary/tokenizer given)");
        }
        return o;
    }

    /**
     * Whether the thinking-token table's ids came from a vocabulary, and how many peak steps at special tokens it
     * left out.
     */
    public record ThinkingTokensInfo(boolean vocabulary, long specialSteps) {
        public ThinkingTokensInfo(boolean vocabulary) {
            this(vocabulary, 0);
        }
    }

    static ObjectNode layerJson(LayerStats ls) {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        if (ls.layer() == null) {
            o.put("layer", "all");
        } else {
            o.put("layer", ls.layer());
        }
        MiSummary m = ls.mi();
        ObjectNode mi = o.putObject("mi");
        mi.put("values", m.values());
        num(mi, "mean", m.mean());
        num(mi, "std", m.std());
        num(mi, "aom", m.aom());
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
            num(r, "ratio", t.ratio());
            num(r, "pooled_ratio", t.pooledRatio());
            num(r, "mean_interval", t.meanInterval());
            r.put("interval_problems", t.intervalProblems());
            r.put("interval_excluded_lt2_peaks", t.intervalExcluded());
        }
        return o;
    }

    public static void writeStats(RunAnalysis a, ThinkingTokensInfo info, Path file) throws IOException {
        AtomicFiles.writeString(file,
                JsonFields.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(statsJson(a, info)) + "\n");
    }

    /**
     * thinking_tokens.jsonl in the paper's table shape, sorted by freq descending then word, plus "shown" (the
     * word as {@link TokenText} shows it, with its ids).
     */
    public static void writeThinkingTokens(List<ThinkingTokens.Row> rows, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ThinkingTokens.Row r : rows) {
            ObjectNode o = JsonFields.MAPPER.createObjectNode();
            o.put("word", r.word());
            o.put("freq", r.freq());
            ArrayNode ids = o.putArray("token_ids");
            for (int id : r.tokenIds()) {
                ids.add(id);
            }
            o.put("shown", r.shown());
            sb.append(JsonFields.MAPPER.writeValueAsString(o)).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
