package dev.mipeaks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.scaling.Grading;
import dev.mipeaks.scaling.RrSummary;
import dev.mipeaks.scaling.RrSummary.Comparison;
import dev.mipeaks.scaling.RrSummary.Totals;
import dev.mipeaks.study.RunFolder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * report.md of an RR run folder ({@link RrSummary.Finished}: accuracy, recycling counts, trigger warnings and, given
 * a greedy baseline folder, recycled against greedy on the problems both ran). RrRunner takes it from its caller.
 */
public final class RrReport {
    private RrReport() {
    }

    /** Writes report.md into the folder (dev.mipeaks.scaling.RrRunner.Report). */
    public static void write(RunFolder folder, RrSummary.Finished f) throws IOException {
        folder.writeText(RunFolder.REPORT, markdown(f.cfg(), f.totals(), f.lines(), f.warnings(), f.comparison()));
    }

    static String markdown(ObjectNode cfg, Totals t, List<JsonNode> lines, List<String> warnings, Comparison cmp) {
        double p = cfg.path("probability").asDouble();
        Markdown md = new Markdown().heading(1, "Representation Recycling: " + cfg.path("dataset").asText());
        md.text("Model `" + ReportText.cell(cfg.path("model").asText()) + "`, dataset "
                + ReportText.cell(cfg.path("dataset").asText()) + ", " + t.problems() + " problems. ");
        md.paragraph(p == 0 ? "Baseline run (probability 0: plain greedy decoding; the trigger steps are only counted)."
                : String.format(Locale.ROOT, "Layer %d applied twice at trigger steps with probability %s.",
                cfg.path("layer").asInt(), cfg.path("probability").asText()));
        for (String w : warnings) {
            md.paragraph("> **Warning:** " + ReportText.cell(w) + ".");
        }
        md.heading(2, "Accuracy");
        ReportText.accuracyTables(md, t.rules(), t.byRules());
        if (cmp != null) {
            comparison(md, cfg, cmp, t.rules());
        } else if (p > 0) {
            md.paragraph("No greedy baseline compared: run `rr` with the same options, `--probability 0` and another "
                    + "`--out`, then pass that folder with `--baseline`.");
        }
        md.heading(2, "Recycling").table("", "value")
                .row("problems", t.problems())
                .row("generated tokens", t.generated())
                .row("recycled steps", t.recycled())
                .row("regular steps", t.regular())
                .row("trigger candidates (coin flips)", t.candidates())
                .row("recycled / candidates", t.candidates() == 0 ? "n/a"
                        : ReportText.pct((double) t.recycled() / t.candidates()))
                .row("stop reasons", t.stopReasons())
                .row("generation speed", String.format(Locale.ROOT, "%.1f tokens/s (prefill + decode time)",
                        t.tokensPerSecond()))
                .end();
        md.heading(2, "Triggers");
        List<String> ids = new ArrayList<>();
        cfg.path("trigger_ids").forEach(x -> ids.add(x.asText()));
        md.paragraph("Source: " + cfg.path("trigger_source").asText() + "; " + ids.size()
                + (ids.size() == 1 ? " id" : " ids") + ": " + String.join(", ", ids.size() > 40 ? ids.subList(0, 40) : ids)
                + (ids.size() > 40 ? ", ..." : "") + ".");
        md.heading(2, "Configuration");
        ReportText.configTable(md, cfg);
        md.heading(2, "Problems").paragraph("prediction and correct under the " + t.rules().label() + " rules.")
                .table("index", "id", "tokens", "recycled", "stop", "prediction", "answer", "correct");
        int shown = 0;
        for (JsonNode l : lines) {
            if (shown++ == 200) {
                md.text("\n(" + (lines.size() - 200) + " more rows in results.jsonl)\n");
                break;
            }
            md.row(l.path("index").asInt(), ReportText.cell(l.path("id").asText()), l.path("generated_tokens").asInt(),
                    l.path("recycled_steps").asInt(), l.path("stop_reason").asText(),
                    ReportText.cell(RrSummary.headline(l, t.rules()).path("prediction").asText("")),
                    ReportText.cell(Grading.answer(l)), RrSummary.headline(l, t.rules()).path("correct").asBoolean() ? "yes" : "no");
        }
        return md.toString();
    }

    private static void comparison(Markdown md, ObjectNode cfg, Comparison c, GradingRules rules) {
        md.heading(2, "Recycled vs greedy baseline");
        md.paragraph("On the " + c.problems() + " problems both folders finished (baseline: `"
                + ReportText.cell(c.baseline().toString()) + "`), both graded under the " + rules.label() + " rules.");
        md.table("", "recycled (p = " + cfg.path("probability").asText() + ", layer " + cfg.path("layer").asInt() + ")",
                        "greedy baseline")
                .row("accuracy", dev.mipeaks.eval.Accuracy.format(c.recycledCorrect(), c.problems()),
                        dev.mipeaks.eval.Accuracy.format(c.greedyCorrect(), c.problems()))
                .row("correct only here", c.onlyRecycled(), c.onlyGreedy())
                .row("mean generated tokens",
                        String.format(Locale.ROOT, "%.1f", c.problems() == 0 ? 0.0 : (double) c.recycledTokens() / c.problems()),
                        String.format(Locale.ROOT, "%.1f", c.problems() == 0 ? 0.0 : (double) c.greedyTokens() / c.problems()))
                .row("identical outputs", c.identical() + " of " + c.problems(), "")
                .end();
    }

}
