package dev.mipeaks.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.analysis.PeakRule;
import dev.mipeaks.analysis.SweepJson;

/** A sigma sweep (sigma_sweep.json, {@link SweepJson}) in a run's report: Jaccard heatmaps and tables. */
public final class SweepReport {
    private SweepReport() {
    }

    /**
     * The sweep's Jaccard matrices as heatmaps, one panel per layer and rule (the report's rules only), or null
     * when the sweep has fewer than two widths.
     */
    static Figure heatmaps(JsonNode o, java.util.List<PeakRule> rules, String context) {
        java.util.List<String> sig = SweepJson.sigmas(o);
        if (sig.size() < 2) {
            return null;
        }
        java.util.List<org.jfree.chart.JFreeChart> charts = new java.util.ArrayList<>();
        for (JsonNode l : o.path("per_layer")) {
            for (PeakRule rule : rules) {
                double[][] j = SweepJson.jaccard(l, rule);
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
    public static String markdown(JsonNode o, java.util.List<PeakRule> rules, int reportTopK, boolean plot) {
        StringBuilder sb = new StringBuilder();
        java.util.List<String> sig = SweepJson.sigmas(o);
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
