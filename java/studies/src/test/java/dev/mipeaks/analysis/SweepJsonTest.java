package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sigma_sweep.json as records: the bytes of the ObjectNode code they replace (kept here as the reference), and its
 * readers (widths, Jaccard matrices) read back what was written.
 */
class SweepJsonTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheTreeCodesBytesAndReadsBackEqual() throws Exception {
        Map<Integer, Map<PeakRule, double[][]>> jaccard = new LinkedHashMap<>();
        Map<Integer, Map<PeakRule, double[]>> peaks = new LinkedHashMap<>();
        Map<Integer, double[]> mi = new LinkedHashMap<>();
        for (int layer : new int[] {5, 1}) {
            Map<PeakRule, double[][]> j = new EnumMap<>(PeakRule.class);
            Map<PeakRule, double[]> p = new EnumMap<>(PeakRule.class);
            for (PeakRule r : PeakRule.values()) {
                j.put(r, new double[][] {{1, 0.5 / layer, 0.25}, {0.5 / layer, 1, 1.0 / 3}, {0.25, 1.0 / 3, 1}});
                p.put(r, new double[] {layer, 2.5, r.ordinal()});
            }
            jaccard.put(layer, j);
            peaks.put(layer, p);
            mi.put(layer, new double[] {0.1 * layer, 1e-12, 7});
        }
        SigmaSweep.Result r = new SigmaSweep.Result(List.of("50", "100.5", "median"), 4, 20, jaccard, peaks, mi);
        Path f = tmp.resolve("sigma_sweep.json");
        SweepJson.write(r, "nhsic", f);
        String text = Files.readString(f);
        assertEquals(JsonFields.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(oldJson(r, "nhsic")) + "\n",
                text);
        var back = JsonFields.MAPPER.readTree(text);
        assertEquals(List.of("50", "100.5", "median"), SweepJson.sigmas(back));
        for (PeakRule rule : PeakRule.values()) {
            assertEquals(java.util.Arrays.deepToString(jaccard.get(5).get(rule)),
                    java.util.Arrays.deepToString(SweepJson.jaccard(back.path("per_layer").get(0), rule)));
        }
    }

    private static ObjectNode oldJson(SigmaSweep.Result r, String estimator) {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("estimator", estimator);
        ArrayNode s = o.putArray("sigmas");
        for (String sigma : r.sigmas()) {
            Double v = sigma.equals("median") ? null : Double.valueOf(sigma);
            if (v != null) {
                s.add(v);          // numbers as numbers; a rule such as "median" stays text
            } else {
                s.add(sigma);
            }
        }
        o.put("problems", r.problems());
        o.put("top_k", r.topK());
        o.put("jaccard", "mean over problems of |A ∩ B| / |A ∪ B| of the peak steps at widths a and b (1 when both are empty)");
        ArrayNode per = o.putArray("per_layer");
        for (Map.Entry<Integer, double[]> e : r.meanMi().entrySet()) {
            ObjectNode l = per.addObject();
            l.put("layer", e.getKey());
            l.set("mean_mi", JsonFields.MAPPER.valueToTree(e.getValue()));
            ObjectNode rules = l.putObject("rules");
            for (PeakRule rule : PeakRule.values()) {
                ObjectNode ro = rules.putObject(rule.key());
                ArrayNode mp = ro.putArray("mean_peaks");
                for (double v : r.meanPeaks().get(e.getKey()).get(rule)) {
                    mp.add(v);
                }
                ArrayNode jm = ro.putArray("jaccard");
                for (double[] row : r.jaccard().get(e.getKey()).get(rule)) {
                    ArrayNode jr = jm.addArray();
                    for (double v : row) {
                        jr.add(v);
                    }
                }
            }
        }
        return o;
    }

}
