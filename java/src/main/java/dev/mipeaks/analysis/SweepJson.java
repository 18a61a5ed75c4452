package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** sigma_sweep.json: the sweep's widths, mean MI and peaks per width, and mean Jaccard matrices per layer and rule. */
public final class SweepJson {
    private SweepJson() {
    }

    public static ObjectNode toJson(SigmaSweep.Result r, String estimator) {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("estimator", estimator);
        ArrayNode s = o.putArray("sigmas");
        r.sigmas().forEach(s::add);
        o.put("problems", r.problems());
        o.put("top_k", r.topK());
        o.put("jaccard", "mean over problems of |A ∩ B| / |A ∪ B| of the peak steps at widths a and b (1 when both are empty)");
        ArrayNode per = o.putArray("per_layer");
        for (Map.Entry<Integer, double[]> e : r.meanMi().entrySet()) {
            ObjectNode l = per.addObject();
            l.put("layer", e.getKey());
            ArrayNode mm = l.putArray("mean_mi");
            for (double v : e.getValue()) {
                mm.add(v);
            }
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

    public static void write(SigmaSweep.Result r, String estimator, Path file) throws IOException {
        AtomicFiles.writeString(file,
                JsonFields.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(r, estimator)) + "\n");
    }

    /** The report's section for a sweep read back from sigma_sweep.json. */
    static String markdown(JsonNode o) {
        StringBuilder sb = new StringBuilder();
        JsonNode sig = o.get("sigmas");
        sb.append("Widths: ");
        for (int i = 0; i < sig.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append("sigma=").append(sig.get(i).asText());
        }
        sb.append(" over ").append(o.path("problems").asInt()).append(" problems (top-k with k=")
                .append(o.path("top_k").asInt()).append("). Cells: mean Jaccard index of the peak-step sets at the two widths.\n\n");
        for (JsonNode l : o.get("per_layer")) {
            for (PeakRule rule : PeakRule.values()) {
                JsonNode ro = l.get("rules").get(rule.key());
                sb.append("**Layer ").append(l.get("layer").asInt()).append(", ").append(rule.key()).append(" peaks**\n\n");
                sb.append("| sigma | mean MI | mean peaks |");
                for (int i = 0; i < sig.size(); i++) {
                    sb.append(" J vs ").append(sig.get(i).asText()).append(" |");
                }
                sb.append("\n|---|---|---|");
                sb.append("---|".repeat(sig.size())).append('\n');
                for (int a = 0; a < sig.size(); a++) {
                    sb.append("| ").append(sig.get(a).asText()).append(" | ").append(Md.num(l.get("mean_mi").get(a).asDouble()))
                            .append(" | ").append(Md.num2(ro.get("mean_peaks").get(a).asDouble())).append(" |");
                    for (int b = 0; b < sig.size(); b++) {
                        sb.append(' ').append(Md.num2(ro.get("jaccard").get(a).get(b).asDouble())).append(" |");
                    }
                    sb.append('\n');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
