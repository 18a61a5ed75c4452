package dev.mipeaks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.AnalysisWriter;
import dev.mipeaks.analysis.HtmlTestRun;
import dev.mipeaks.analysis.JsonFields;
import dev.mipeaks.analysis.LayerStats;
import dev.mipeaks.analysis.PeakRule;
import dev.mipeaks.analysis.PeakTable;
import dev.mipeaks.analysis.ProblemRecord;
import dev.mipeaks.analysis.RunAnalysis;
import dev.mipeaks.analysis.RunConfig;
import dev.mipeaks.analysis.RunData;
import dev.mipeaks.analysis.RunReader;
import dev.mipeaks.analysis.SequenceStats;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html's embedded JSON as records: the bytes of the ObjectNode code they replace (kept here as the reference),
 * on the hostile test run (markup in tokens, empty and long problems, a skipped one, a notice).
 */
class ReportHtmlJsonTest {
    @TempDir
    Path tmp;

    @Test
    void runAndProblemDataWriteTheTreeCodesBytes() throws Exception {
        RunData run = RunReader.open(HtmlTestRun.write(tmp));
        for (AnalysisOptions o : List.of(AnalysisOptions.defaults(), AnalysisOptions.defaults().withLayer(3))) {
            RunAnalysis a = RunAnalysis.analyze(run, o);
            for (List<Integer> layers : List.of(HtmlTestRun.LAYERS, List.of(7), List.of(3, 0))) {
                assertEquals(ReportHtml.scriptJson(oldRunJson(a, layers)),
                        ReportHtml.scriptJson(ReportHtml.runJson(a, layers)));
                Iterator<RunAnalysis.ProblemPeaks> peaks = a.problems().iterator();
                for (ProblemRecord p : a.run().problems()) {
                    RunAnalysis.ProblemPeaks pp = peaks.next();
                    assertEquals(ReportHtml.scriptJson(oldProblemJson(a, p, pp, layers)),
                            ReportHtml.scriptJson(ReportHtml.problemJson(a, p, pp, layers)));
                }
            }
        }
    }

    private static ObjectNode oldRunJson(RunAnalysis a, List<Integer> layers) {
        RunConfig c = a.run().config();
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("name", a.run().name());
        o.put("model", c.model());
        o.put("dataset", c.dataset());
        o.put("estimator", c.estimatorDescription());
        o.put("max_new_tokens", c.maxNewTokens());
        o.put("created", c.created());
        var notice = c.raw() == null ? null : c.raw().get("notice");
        if (notice != null && notice.isTextual() && !notice.asText().isBlank()) {
            o.put("notice", notice.asText());
        }
        o.set("layers", JsonFields.MAPPER.valueToTree(c.layers()));
        o.set("embedded_layers", JsonFields.MAPPER.valueToTree(layers));
        o.put("default_layer", layers.contains(a.layer()) ? a.layer() : layers.get(layers.size() - 1));
        ArrayNode rules = o.putArray("rules");
        a.options().rules().forEach(r -> rules.add(r.key()));
        o.put("top_k", a.options().topK());
        o.put("skipped", a.skippedCount());
        ArrayNode per = o.putArray("per_layer");
        for (LayerStats ls : a.perLayer().values()) {
            ObjectNode l = per.addObject();
            l.put("layer", ls.layer());
            AnalysisWriter.num(l, "mean", ls.mi().mean());
            AnalysisWriter.num(l, "std", ls.mi().std());
            AnalysisWriter.num(l, "aom", ls.mi().aom());
            ObjectNode t = l.putObject("mean_peaks");
            for (PeakTable pt : ls.table1().values()) {
                t.put(pt.rule().key(), pt.meanPeaks());
            }
        }
        ArrayNode probs = o.putArray("problems");
        for (RunAnalysis.ProblemPeaks p : a.problems()) {
            ObjectNode po = probs.addObject();
            po.put("index", p.index());
            po.put("id", p.id());
            po.put("steps", p.steps());
            ObjectNode pk = po.putObject("peaks");
            for (int l : layers) {
                ObjectNode byRule = pk.putObject(Integer.toString(l));
                for (PeakRule r : a.options().rules()) {
                    byRule.put(r.key(), p.layers().get(l).stats().peaks(r).length);
                }
            }
        }
        return o;
    }

    private static ObjectNode oldProblemJson(RunAnalysis a, ProblemRecord p, RunAnalysis.ProblemPeaks pp, List<Integer> layers) {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("index", p.index());
        o.put("id", p.id());
        o.put("problem", p.problem());
        o.put("answer", p.answer());
        o.put("stop_reason", p.stopReason());
        o.set("token_ids", JsonFields.MAPPER.valueToTree(p.tokenIds()));
        o.set("tokens", JsonFields.MAPPER.valueToTree(p.tokens()));
        ObjectNode mi = o.putObject("mi");
        ObjectNode peaks = o.putObject("peaks");
        ObjectNode fence = o.putObject("fence");
        ObjectNode median = o.putObject("median");
        for (int l : layers) {
            String key = Integer.toString(l);
            mi.put(key, ReportHtml.float32Base64(p.mi(l)));
            SequenceStats s = pp.layers().get(l).stats();
            ObjectNode byRule = peaks.putObject(key);
            for (PeakRule r : a.options().rules()) {
                byRule.set(r.key(), JsonFields.MAPPER.valueToTree(s.peaks(r)));
            }
            if (s.quartiles() != null) {
                fence.put(key, s.quartiles().upperFence());
                median.put(key, s.quartiles().median());
            }
        }
        return o;
    }

}
