package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.report.Figure;
import dev.mipeaks.report.Markdown;
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
        for (String sigma : r.sigmas()) {
            Double v = number(sigma);
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

    /** The widths of a sigma_sweep.json, in sweep order. */
    static java.util.List<String> sigmas(JsonNode o) {
        java.util.List<String> out = new java.util.ArrayList<>();
        // numbers written plainly (50, not 50.0); files written before held the widths as text, read as they are
        o.path("sigmas").forEach(n -> out.add(n.isNumber() ? PlainNumber.format(n.doubleValue()) : n.asText()));
        return out;
    }

    private static Double number(String sigma) {
        try {
            double v = Double.parseDouble(sigma.trim());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The Jaccard matrix of one layer entry and rule, or null when the file has none. */
    static double[][] jaccard(JsonNode layerEntry, PeakRule rule) {
        JsonNode m = layerEntry.path("rules").path(rule.key()).path("jaccard");
        if (!m.isArray() || m.size() == 0) {
            return null;
        }
        double[][] out = new double[m.size()][];
        for (int a = 0; a < m.size(); a++) {
            out[a] = new double[m.get(a).size()];
            for (int b = 0; b < out[a].length; b++) {
                out[a][b] = m.get(a).get(b).asDouble();
            }
        }
        return out;
    }

    /**
     * The sweep's Jaccard matrices as heatmaps, one panel per layer and rule (the report's rules only), or null
     * when the sweep has fewer than two widths.
     */
    static Figure heatmaps(JsonNode o, java.util.List<PeakRule> rules, String context) {
        java.util.List<String> sig = sigmas(o);
        if (sig.size() < 2) {
            return null;
        }
        java.util.List<org.jfree.chart.JFreeChart> charts = new java.util.ArrayList<>();
        for (JsonNode l : o.path("per_layer")) {
            for (PeakRule rule : rules) {
                double[][] j = jaccard(l, rule);
                if (j != null) {
                    String r = rule == PeakRule.TOPK ? "top-" + o.path("top_k").asInt() : "IQR";
                    charts.add(Charts.jaccardHeatmap(sig, j, "layer " + l.path("layer").asInt() + ", " + r + " peaks"));
                }
            }
        }
        if (charts.isEmpty()) {
            return null;
        }
        int side = Math.max(320, 120 + 70 * sig.size());
        return Figure.grid(charts, side, side).withTitle("Peak sets across kernel widths (mean Jaccard index)",
                context + "; 1 = the same peak steps at both widths");
    }

    /**
     * The report's section for a sweep read back from sigma_sweep.json: the rules the report shows, with the k the
     * sweep's top-k used (it is fixed when `peaks --sigma` ran, and said so when the report's --top-k differs).
     */
    static String markdown(JsonNode o, java.util.List<PeakRule> rules, int reportTopK, boolean plot) {
        StringBuilder sb = new StringBuilder();
        java.util.List<String> sig = sigmas(o);
        int sweepK = o.path("top_k").asInt();
        sb.append("Widths: ");
        for (int i = 0; i < sig.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append("sigma=").append(sig.get(i));
        }
        sb.append(" over ").append(o.path("problems").asInt()).append(" problems");
        if (rules.contains(PeakRule.TOPK)) {
            sb.append("; top-k with k=").append(sweepK).append(" as computed by `peaks --sigma`");
            if (sweepK != reportTopK) {
                sb.append(" (this report's --top-k is ").append(reportTopK).append(": rerun `peaks --sigma ... --top-k ")
                        .append(reportTopK).append("` to sweep with it)");
            }
        }
        sb.append(". Cells: mean Jaccard index of the peak-step sets at the two widths (1 = the same steps).\n\n");
        if (plot) {
            sb.append("![Jaccard heatmaps](plots/sigma_jaccard.png)\n\n");
        }
        for (JsonNode l : o.get("per_layer")) {
            for (PeakRule rule : rules) {
                JsonNode ro = l.get("rules").get(rule.key());
                if (ro == null) {
                    continue;
                }
                sb.append("**Layer ").append(l.get("layer").asInt()).append(", ").append(rule.key()).append(" peaks**\n\n");
                sb.append("| sigma | mean MI | mean peaks |");
                for (int i = 0; i < sig.size(); i++) {
                    sb.append(" J vs ").append(sig.get(i)).append(" |");
                }
                sb.append("\n|---|---|---|");
                sb.append("---|".repeat(sig.size())).append('\n');
                for (int a = 0; a < sig.size(); a++) {
                    sb.append("| ").append(sig.get(a)).append(" | ").append(Markdown.num(l.get("mean_mi").get(a).asDouble()))
                            .append(" | ").append(Markdown.num2(ro.get("mean_peaks").get(a).asDouble())).append(" |");
                    for (int b = 0; b < sig.size(); b++) {
                        sb.append(' ').append(Markdown.num2(ro.get("jaccard").get(a).get(b).asDouble())).append(" |");
                    }
                    sb.append('\n');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
