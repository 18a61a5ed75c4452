package dev.mipeaks.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.LayerStats;
import dev.mipeaks.analysis.LensSummary;
import dev.mipeaks.analysis.MiSummary;
import dev.mipeaks.analysis.PeakRule;
import dev.mipeaks.analysis.PeakTable;
import dev.mipeaks.analysis.Quartiles;
import dev.mipeaks.analysis.RunAnalysis;
import dev.mipeaks.analysis.RunConfig;
import dev.mipeaks.analysis.SweepJson;
import dev.mipeaks.analysis.ThinkingTokens;
import dev.mipeaks.analysis.TokenText;
import java.util.List;
import java.util.Map;

/** The markdown of report.md and compare.md: numbers in tables, plots by relative links, definitions spelled out. */
final class ReportMarkdown {
    private ReportMarkdown() {
    }

    static final String DEFINITIONS = """
            Definitions. Quartiles are numpy's defaults (`np.percentile(m, 25/75)`, linear interpolation; median as
            `np.median`) of one problem's MI trajectory m at one layer. A step is an **IQR peak** when
            m > Q3 + 1.5 IQR (with IQR = 0 this reads m > Q3); **top-k** takes the k largest values (ties: lower step
            first; all steps when k > T). *Ratio* is the mean over problems of peaks/steps; *pooled* is total peaks /
            total steps. *Interval* is the mean over problems with at least 2 peaks of their mean gap (in steps)
            between consecutive peaks; problems with fewer are excluded and counted. *Mean* and *std* (population)
            pool every step of every problem. *AOM* = mean over IQR peaks O of |m_i - median(m)| / IQR(m), averaged
            over problems; problems without an IQR peak or with IQR = 0 are excluded (counted in the table), so AOM
            says how far peaks stand out, not how many there are. Undefined values print as n/a. The *all* row
            counts every problem-layer pair as one trajectory.
            """;

    /**
     * What report.md is made of.
     *
     * @param special    peak steps at special tokens left out of {@code rows}
     * @param vocab      whether token ids came from the tokenizer's vocabulary
     * @param sweep      sigma_sweep.json, or null
     * @param lens       the lens outputs in the folder, or null
     * @param lastLayer  the model's last layer, or null when unknown
     */
    record Inputs(RunAnalysis a, List<ThinkingTokens.Row> rows, long special, boolean vocab, JsonNode sweep,
                  boolean sweepPlot, LensSummary lens, boolean lensPlot, Integer lastLayer) {
    }

    static String run(Inputs in) {
        RunAnalysis a = in.a();
        List<ThinkingTokens.Row> rows = in.rows();
        RunConfig c = a.run().config();
        Markdown md = new Markdown().heading(1, "MI peaks report: " + a.run().name());
        // a run may carry a notice every output repeats (the demo: a model with random weights)
        com.fasterxml.jackson.databind.JsonNode notice = c.raw() == null ? null : c.raw().get("notice");
        if (notice != null && notice.isTextual() && !notice.asText().isBlank()) {
            md.paragraph("> **" + notice.asText() + "**");
        }
        md.table("", "")
                .row("model", Markdown.cell(c.model()))
                .row("dataset", Markdown.cell(c.dataset()))
                .row("estimator", Markdown.cell(c.estimatorDescription()))
                .row("layers", c.layers())
                .row("max new tokens", c.maxNewTokens())
                .row("created", Markdown.cell(c.created()))
                .row("problems analysed", a.problems().size())
                .row("problems skipped", a.skippedCount())
                .row("peak rules", rulesText(a.options())).end();
        String warn = a.topKWarning();
        if (warn != null) {
            md.paragraph("> **Warning:** " + Markdown.cell(warn) + ".");
        }
        if (!a.skippedReasons().isEmpty()) {
            md.text("Skipped problems by reason:\n\n").table("reason", "count");
            a.skippedReasons().forEach((r, n) -> md.row(Markdown.cell(r), n));
            md.end();
        }
        md.paragraph("Tokens are shown as their text in quotes with control characters escaped, then their id: "
                + "`\"\\tSo\" (78012)`; an empty decoding is `(empty)`.");
        md.heading(2, "Peak statistics (the paper's Table 1)");
        table1(md, a);
        md.text("\n").heading(2, "MI distribution: mean, std, AOM (the paper's Table 2 statistics)");
        miTable(md, a);
        md.text("\n" + DEFINITIONS + "\n");
        md.image("MI per layer", "plots/mi_per_layer.png");
        md.image("MI histogram", "plots/mi_histogram.png");
        md.heading(2, "MI trajectories (layer " + a.layer() + ")");
        md.text("The first " + a.trajectories().size() + " problems. ");
        if (a.options().rules().contains(PeakRule.IQR)) {
            md.text("Red dots: IQR peaks, the highest labelled with their token; dashed: Q3 + 1.5 IQR (noted under "
                    + "the panel's title when it lies far outside the data). ");
        }
        if (a.options().rules().contains(PeakRule.TOPK)) {
            md.text("Orange rings: the top-" + a.options().topK() + " steps"
                    + (a.options().rules().contains(PeakRule.IQR) ? "" : ", the highest labelled with their token")
                    + ". ");
        }
        md.paragraph("SVG versions sit beside the PNGs.");
        md.image("MI trajectories", "plots/trajectories.png");
        md.heading(2, "Thinking tokens (layer " + a.layer() + ", " + a.options().tokenRule().key() + " peaks)");
        md.text(a.thinkingTokens().total() + " peak steps; " + rows.size() + " distinct words. ");
        if (in.special() > 0) {
            md.text(in.special() + " steps at special tokens (EOS, chat markers) are left out (`--include-special` "
                    + "keeps them). ");
        } else if (a.thinkingTokens().includesSpecial()) {
            md.text("Special tokens are included (`--include-special`). ");
        }
        md.paragraph(in.vocab() ? "token ids: the ids seen at peaks and every vocabulary id whose single-id decoding "
                + "has the word; undecodable tokens (empty, or a lone byte shown as \"\uFFFD\") have one row per id."
                : "**No vocabulary was available** (analysis without the tokenizer): token ids list only the ids seen "
                + "at peaks.");
        md.table("#", "word", "freq", "token ids");
        for (int i = 0; i < Math.min(RunReport.TOKEN_BARS, rows.size()); i++) {
            ThinkingTokens.Row r = rows.get(i);
            md.row(i + 1, Md.code(r.word()), r.freq(), TokenText.ids(r.tokenIds(), 12));
        }
        if (!rows.isEmpty()) {
            md.text("\n![Thinking tokens](plots/thinking_tokens.png)\n");
        }
        if (in.lens() != null) {
            lens(md, in);
        }
        if (in.sweep() != null) {
            md.text("\n").heading(2, "Kernel-width sweep (sigma_sweep.json)")
                    .text(SweepReport.markdown(in.sweep(), a.options().rules(), a.options().topK(), in.sweepPlot()));
        }
        return md.toString();
    }

    static String rulesText(AnalysisOptions o) {
        StringBuilder sb = new StringBuilder();
        for (PeakRule r : o.rules()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(r == PeakRule.IQR ? "iqr (MI > Q3 + 1.5 IQR)"
                    : "top-k (k=" + o.topK() + ")");
        }
        return sb.toString();
    }

    private static void lens(Markdown md, Inputs in) {
        LensSummary l = in.lens();
        md.text("\n").heading(2, "Logit lens at MI peaks (lens.jsonl)");
        md.text(l.problems() + " problems. Agreement: the share of lensed steps (the peak steps, or every step "
                + "with `lens --all-steps`) where lm_head(final_norm(h)) of that layer's state is the generated token. ");
        if (in.lastLayer() != null) {
            md.text("The model's last layer (" + in.lastLayer() + ") agrees by construction under greedy "
                    + "decoding: its lens is the output that chose the token"
                    + (l.agreement().containsKey(in.lastLayer()) ? "" : " (not among the lensed layers)") + ". ");
        } else {
            md.text("The model's last layer agrees by construction under greedy decoding (its lens is the output that "
                    + "chose the token). ");
        }
        md.paragraph("Earlier layers show how early the choice can be read off the residual stream.");
        md.table("layer", "lensed steps", "agreement", "top lens tokens");
        l.agreement().forEach((layer, v) -> {
            StringBuilder top = new StringBuilder();
            List<ThinkingTokens.Row> t = l.tokens().getOrDefault(layer, List.of());
            for (int i = 0; i < Math.min(5, t.size()); i++) {
                top.append(i == 0 ? "" : ", ").append(Md.code(t.get(i).word())).append(" ").append(t.get(i).freq());
            }
            md.row(layer + (layer.equals(in.lastLayer()) ? " (last)" : ""), l.lensed().get(layer),
                    v == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * v), top);
        });
        if (in.lensPlot()) {
            md.text("\n![Logit-lens agreement by layer](plots/lens_agreement.png)\n");
        }
    }

    static void table1(Markdown md, RunAnalysis a) {
        md.table("layer", "rule", "problems", "mean peaks", "mean steps", "ratio", "pooled ratio", "mean interval",
                "excluded (< 2 peaks)");
        for (LayerStats ls : a.perLayer().values()) {
            table1Rows(md, ls, String.valueOf(ls.layer()));
        }
        table1Rows(md, a.allLayers(), "all");
    }

    private static void table1Rows(Markdown md, LayerStats ls, String label) {
        for (PeakTable t : ls.table1().values()) {
            md.row(label, t.rule().key(), t.problems(), Markdown.num2(t.meanPeaks()), Markdown.num2(t.meanSteps()),
                    Markdown.num(t.ratio()), Markdown.num(t.pooledRatio()),
                    t.meanInterval() == null ? "n/a" : Markdown.num2(t.meanInterval()), t.intervalExcluded());
        }
    }

    static void miTable(Markdown md, RunAnalysis a) {
        md.table("layer", "steps", "mean MI", "std", "AOM", "AOM problems", "excluded: no peak", "excluded: IQR = 0");
        for (LayerStats ls : a.perLayer().values()) {
            miRow(md, ls.mi(), String.valueOf(ls.layer()));
        }
        miRow(md, a.allLayers().mi(), "all");
    }

    private static void miRow(Markdown md, MiSummary m, String label) {
        md.row(label, m.values(), Markdown.num(m.mean()), Markdown.num(m.std()), Markdown.num(m.aom()),
                m.aomProblems(), m.aomNoPeak(), m.aomZeroIqr());
    }

    /** The paper's Table 2 view: one row per run at one layer. */
    static void table2(Markdown md, Map<String, RunAnalysis> runs, int layer, PeakRule rule) {
        md.table("run", "model", "estimator", "problems", "mean MI", "std", "AOM (n / no peak / IQR=0)",
                "mean peaks (" + rule.key() + ")", "mean steps", "ratio", "mean interval");
        for (Map.Entry<String, RunAnalysis> e : runs.entrySet()) {
            RunAnalysis a = e.getValue();
            LayerStats ls = a.perLayer().get(layer);
            if (ls == null) {
                md.text("| " + Markdown.cell(e.getKey()) + " | | | | (no layer " + layer + ") | | | | | | |\n");
                continue;
            }
            MiSummary m = ls.mi();
            PeakTable t = ls.table(rule);
            md.row(Markdown.cell(e.getKey()), Markdown.cell(a.run().config().model()),
                    Markdown.cell(a.run().config().estimatorDescription()), a.problems().size(),
                    Markdown.num(m.mean()), Markdown.num(m.std()), Markdown.num(m.aom()) + " (" + m.aomProblems()
                            + " / " + m.aomNoPeak() + " / " + m.aomZeroIqr() + ")",
                    Markdown.num2(t.meanPeaks()), Markdown.num2(t.meanSteps()), Markdown.num(t.ratio()),
                    t.meanInterval() == null ? "n/a" : Markdown.num2(t.meanInterval()));
        }
    }
}
