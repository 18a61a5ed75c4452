package dev.mipeaks.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.eval.Accuracy;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.study.RunFolder;
import java.util.Map;

/** Markdown pieces shared by the RR and TTTS reports. */
final class ReportText {
    private ReportText() {
    }

    static String pct(GradeSummary.Count c) {
        return Accuracy.format(c);
    }

    static String pct(double v) {
        return Accuracy.percent(v);
    }

    static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    /** Overall / by level / by subject accuracy of one summary. */
    static void accuracyTables(StringBuilder b, GradeSummary s) {
        b.append("| | accuracy |\n|---|---|\n");
        b.append("| overall | ").append(pct(s.overall())).append(" |\n");
        for (Map.Entry<String, GradeSummary.Count> e : s.byLevel().entrySet()) {
            b.append("| level ").append(cell(e.getKey())).append(" | ").append(pct(e.getValue())).append(" |\n");
        }
        for (Map.Entry<String, GradeSummary.Count> e : s.bySubject().entrySet()) {
            b.append("| ").append(cell(e.getKey())).append(" | ").append(pct(e.getValue())).append(" |\n");
        }
        b.append('\n');
    }

    /**
     * Overall / by level / by subject accuracy under each rule set side by side: the headline rules' column first.
     */
    static void accuracyTables(StringBuilder b, GradingRules headline, Map<GradingRules, GradeSummary> byRules) {
        GradeSummary h = byRules.get(headline);
        GradeSummary o = byRules.get(headline.other());
        b.append("| | ").append(headline.label()).append(" rules | ").append(headline.other().label())
                .append(" rules |\n|---|---|---|\n");
        b.append("| overall | ").append(pct(h.overall())).append(" | ").append(pct(o.overall())).append(" |\n");
        for (Map.Entry<String, GradeSummary.Count> e : h.byLevel().entrySet()) {
            GradeSummary.Count c = o.byLevel().get(e.getKey());
            b.append("| level ").append(cell(e.getKey())).append(" | ").append(pct(e.getValue())).append(" | ")
                    .append(c == null ? "n/a" : pct(c)).append(" |\n");
        }
        for (Map.Entry<String, GradeSummary.Count> e : h.bySubject().entrySet()) {
            GradeSummary.Count c = o.bySubject().get(e.getKey());
            b.append("| ").append(cell(e.getKey())).append(" | ").append(pct(e.getValue())).append(" | ")
                    .append(c == null ? "n/a" : pct(c)).append(" |\n");
        }
        b.append('\n');
    }

    /** The config as a two-column table (lists shortened). */
    static void configTable(StringBuilder b, JsonNode cfg) {
        b.append("| setting | value |\n|---|---|\n");
        cfg.fields().forEachRemaining(e -> {
            if (!e.getKey().equals(RunFolder.INFO)) {
                String v = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
                if (v.length() > 160) {
                    v = v.substring(0, 157) + "...";
                }
                b.append("| ").append(e.getKey()).append(" | `").append(cell(v).replace("`", "'")).append("` |\n");
            }
        });
        b.append('\n');
    }
}
