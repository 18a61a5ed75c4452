package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** peaks.jsonl lines as a record: the bytes the ObjectNode code wrote, and read back equal. */
class PeaksLineTest {
    @TempDir
    Path tmp;

    /** The code peaksLine had before it built a record (the reference for the bytes). */
    private static ObjectNode oldLine(RunAnalysis a, RunAnalysis.ProblemPeaks p, int layer, RunAnalysis.LayerPeaks lp) {
        SequenceStats s = lp.stats();
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("index", p.index());
        o.put("id", p.id());
        o.put("layer", layer);
        o.put("steps", p.steps());
        if (s.quartiles() != null) {
            o.put("q1", s.quartiles().q1());
            o.put("median", s.quartiles().median());
            o.put("q3", s.quartiles().q3());
            o.put("threshold", s.quartiles().upperFence());
        }
        AnalysisWriter.num(o, "mean", s.steps() == 0 ? null : s.mean());
        AnalysisWriter.num(o, "std", s.steps() == 0 ? null : s.std());
        AnalysisWriter.num(o, "aom", s.aomStatus() == SequenceStats.AomStatus.OK ? s.aom() : null);
        o.put("aom_status", s.aomStatus().name().toLowerCase(java.util.Locale.ROOT));
        for (PeakRule r : a.options().rules()) {
            ObjectNode ro = o.putObject(r.key());
            if (r == PeakRule.TOPK) {
                ro.put("k", a.options().topK());
            }
            int[] peaks = s.peaks(r);
            int[] order = Peaks.stepOrder(peaks);
            ArrayNode steps = ro.putArray("peak_steps");
            ArrayNode ranks = r == PeakRule.TOPK ? ro.putArray("ranks") : null;
            ArrayNode toks = ro.putArray("tokens");
            ArrayNode ids = ro.putArray("token_ids");
            ArrayNode shown = ro.putArray("shown");
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
        }
        return o;
    }

    @Test
    void sameBytesAsTheTreeAndReadBackEqual() throws Exception {
        SyntheticRun s = new SyntheticRun();
        Path dir = s.write(tmp.resolve("r"));
        int lines = 0;
        for (AnalysisOptions o : List.of(AnalysisOptions.defaults(), new AnalysisOptions(3, List.of(PeakRule.TOPK,
                PeakRule.IQR), null, 1), new AnalysisOptions(5, List.of(PeakRule.IQR), null, 1))) {
            RunAnalysis a = RunAnalysis.analyze(RunReader.open(dir), o);
            for (RunAnalysis.ProblemPeaks p : a.problems()) {
                for (Map.Entry<Integer, RunAnalysis.LayerPeaks> e : p.layers().entrySet()) {
                    PeaksLine line = AnalysisWriter.peaksLine(a, p, e.getKey(), e.getValue());
                    String json = JsonFields.MAPPER.writeValueAsString(line);
                    assertEquals(JsonFields.MAPPER.writeValueAsString(oldLine(a, p, e.getKey(), e.getValue())), json);
                    assertEquals(line, JsonFields.MAPPER.readValue(json, PeaksLine.class));
                    lines++;
                }
            }
        }
        assertTrue(lines >= 30, "lines compared: " + lines);
    }

    @Test
    void undefinedStatisticsAndNoQuartiles() throws Exception {
        PeaksLine empty = new PeaksLine(0, "p", 3, 0, null, null, null, null, Double.NaN, null, Double.POSITIVE_INFINITY,
                "no_peak", Map.of("iqr", new PeaksLine.RulePeaks(null, List.of(), null, List.of(), List.of(),
                List.of())));
        String json = JsonFields.MAPPER.writeValueAsString(empty);
        assertEquals("{\"index\":0,\"id\":\"p\",\"layer\":3,\"steps\":0,\"mean\":null,\"std\":null,\"aom\":null,"
                + "\"aom_status\":\"no_peak\",\"iqr\":{\"peak_steps\":[],\"tokens\":[],\"token_ids\":[],\"shown\":[]}}", json);
        assertEquals(empty, JsonFields.MAPPER.readValue(json, PeaksLine.class));
    }
}
