package dev.mipeaks.analysis;

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
            List<Integer> order = java.util.stream.IntStream.of(Peaks.stepOrder(peaks)).boxed().toList();
            List<Integer> steps = order.stream().map(i -> peaks[i]).toList();
            List<Integer> ranks = r == PeakRule.TOPK ? order.stream().map(i -> i + 1).toList() : null;
            List<String> toks = order.stream().map(i -> lp.tokens(r).get(i)).toList();
            List<Integer> ids = order.stream().map(i -> lp.ids(r)[i]).toList();
            List<String> shown = order.stream().map(i -> TokenText.show(lp.tokens(r).get(i), lp.ids(r)[i])).toList();
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

    public static void num(ObjectNode o, String name, Double v) {
        if (v == null || !Double.isFinite(v)) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }

    /** stats.json ({@link StatsFile}) as a JSON tree. */
    public static ObjectNode statsJson(RunAnalysis a, ThinkingTokensInfo tokensInfo) {
        return JsonFields.MAPPER.valueToTree(StatsFile.of(a, tokensInfo));
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

    public static void writeStats(RunAnalysis a, ThinkingTokensInfo info, Path file) throws IOException {
        AtomicFiles.writeString(file,
                JsonFields.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(StatsFile.of(a, info)) + "\n");
    }

    /**
     * thinking_tokens.jsonl in the paper's table shape, sorted by freq descending then word, plus "shown" (the
     * word as {@link TokenText} shows it, with its ids).
     */
    public static void writeThinkingTokens(List<ThinkingTokens.Row> rows, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ThinkingTokens.Row r : rows) {
            sb.append(JsonFields.MAPPER.writeValueAsString(r)).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
