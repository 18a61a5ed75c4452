package dev.mipeaks.report;

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
        return Markdown.cell(s);
    }

    /** Overall / by level / by subject accuracy of one summary. */
    static void accuracyTables(Markdown md, GradeSummary s) {
        md.table("", "accuracy").row("overall", pct(s.overall()));
        s.byLevel().forEach((level, c) -> md.row("level " + cell(level), pct(c)));
        s.bySubject().forEach((subject, c) -> md.row(cell(subject), pct(c)));
        md.end();
    }

    /**
     * Overall / by level / by subject accuracy under each rule set side by side: the headline rules' column first.
     */
    static void accuracyTables(Markdown md, GradingRules headline, Map<GradingRules, GradeSummary> byRules) {
        GradeSummary h = byRules.get(headline);
        GradeSummary o = byRules.get(headline.other());
        md.table("", headline.label() + " rules", headline.other().label() + " rules")
                .row("overall", pct(h.overall()), pct(o.overall()));
        h.byLevel().forEach((level, c) -> md.row("level " + cell(level), pct(c), orNa(o.byLevel().get(level))));
        h.bySubject().forEach((subject, c) -> md.row(cell(subject), pct(c), orNa(o.bySubject().get(subject))));
        md.end();
    }

    private static String orNa(GradeSummary.Count c) {
        return c == null ? "n/a" : pct(c);
    }

    /** The config as a two-column table (lists shortened). */
    static void configTable(Markdown md, JsonNode cfg) {
        md.table("setting", "value");
        cfg.fields().forEachRemaining(e -> {
            if (!e.getKey().equals(RunFolder.INFO)) {
                String v = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
                if (v.length() > 160) {
                    v = v.substring(0, 157) + "...";
                }
                md.row(e.getKey(), "`" + cell(v).replace("`", "'") + "`");
            }
        });
        md.end();
    }
}
