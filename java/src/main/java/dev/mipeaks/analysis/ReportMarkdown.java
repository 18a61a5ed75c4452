package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.JsonNode;
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
        StringBuilder sb = new StringBuilder();
        sb.append("# MI peaks report: ").append(a.run().name()).append("\n\n");
        // a run may carry a notice every output repeats (the demo: a model with random weights)
        com.fasterxml.jackson.databind.JsonNode notice = c.raw() == null ? null : c.raw().get("notice");
        if (notice != null && notice.isTextual() && !notice.asText().isBlank()) {
            sb.append("> **").append(notice.asText()).append("**\n\n");
        }
        sb.append("| | |\n|---|---|\n");
        sb.append("| model | ").append(Md.cell(c.model())).append(" |\n");
        sb.append("| dataset | ").append(Md.cell(c.dataset())).append(" |\n");
        sb.append("| estimator | ").append(Md.cell(c.estimatorDescription())).append(" |\n");
        sb.append("| layers | ").append(c.layers()).append(" |\n");
        sb.append("| max new tokens | ").append(c.maxNewTokens()).append(" |\n");
        sb.append("| created | ").append(Md.cell(c.created())).append(" |\n");
        sb.append("| problems analysed | ").append(a.problems().size()).append(" |\n");
        sb.append("| problems skipped | ").append(a.skippedCount()).append(" |\n");
        sb.append("| peak rules | ").append(rulesText(a.options())).append(" |\n\n");
        String warn = a.topKWarning();
        if (warn != null) {
            sb.append("> **Warning:** ").append(Md.cell(warn)).append(".\n\n");
        }
        if (!a.skippedReasons().isEmpty()) {
            sb.append("Skipped problems by reason:\n\n| reason | count |\n|---|---|\n");
            a.skippedReasons().forEach((r, n) -> sb.append("| ").append(Md.cell(r)).append(" | ").append(n).append(" |\n"));
            sb.append('\n');
        }
        sb.append("Tokens are shown as their text in quotes with control characters escaped, then their id: ")
                .append("`\"\\tSo\" (78012)`; an empty decoding is `(empty)`.\n\n");
        sb.append("## Peak statistics (the paper's Table 1)\n\n");
        table1(sb, a);
        sb.append("\n## MI distribution: mean, std, AOM (the paper's Table 2 statistics)\n\n");
        miTable(sb, a);
        sb.append('\n').append(DEFINITIONS).append('\n');
        sb.append("![MI per layer](plots/mi_per_layer.png)\n\n");
        sb.append("![MI histogram](plots/mi_histogram.png)\n\n");
        sb.append("## MI trajectories (layer ").append(a.layer()).append(")\n\n");
        sb.append("The first ").append(a.trajectories().size()).append(" problems. ");
        if (a.options().rules().contains(PeakRule.IQR)) {
            sb.append("Red dots: IQR peaks, the highest labelled with their token; dashed: Q3 + 1.5 IQR (noted under "
                    + "the panel's title when it lies far outside the data). ");
        }
        if (a.options().rules().contains(PeakRule.TOPK)) {
            sb.append("Orange rings: the top-").append(a.options().topK()).append(" steps")
                    .append(a.options().rules().contains(PeakRule.IQR) ? "" : ", the highest labelled with their token")
                    .append(". ");
        }
        sb.append("SVG versions sit beside the PNGs.\n\n");
        sb.append("![MI trajectories](plots/trajectories.png)\n\n");
        sb.append("## Thinking tokens (layer ").append(a.layer()).append(", ").append(a.options().tokenRule().key())
                .append(" peaks)\n\n");
        sb.append(a.thinkingTokens().total()).append(" peak steps; ").append(rows.size()).append(" distinct words. ");
        if (in.special() > 0) {
            sb.append(in.special()).append(" steps at special tokens (EOS, chat markers) are left out (`--include-special` "
                    + "keeps them). ");
        } else if (a.thinkingTokens().includesSpecial()) {
            sb.append("Special tokens are included (`--include-special`). ");
        }
        sb.append(in.vocab() ? "token ids: the ids seen at peaks and every vocabulary id whose single-id decoding has "
                + "the word; undecodable tokens (empty, or a lone byte shown as \"\uFFFD\") have one row per id.\n\n"
                : "**No vocabulary was available** (analysis without the tokenizer): token ids list only the ids seen at "
                + "peaks.\n\n");
        sb.append("| # | word | freq | token ids |\n|---|---|---|---|\n");
        for (int i = 0; i < Math.min(RunOutputs.TOKEN_BARS, rows.size()); i++) {
            ThinkingTokens.Row r = rows.get(i);
            sb.append("| ").append(i + 1).append(" | ").append(Md.code(r.word())).append(" | ").append(r.freq())
                    .append(" | ").append(TokenText.ids(r.tokenIds(), 12)).append(" |\n");
        }
        if (!rows.isEmpty()) {
            sb.append("\n![Thinking tokens](plots/thinking_tokens.png)\n");
        }
        if (in.lens() != null) {
            lens(sb, in);
        }
        if (in.sweep() != null) {
            sb.append("\n## Kernel-width sweep (sigma_sweep.json)\n\n")
                    .append(SweepJson.markdown(in.sweep(), a.options().rules(), a.options().topK(), in.sweepPlot()));
        }
        return sb.toString();
    }

    static String rulesText(AnalysisOptions o) {
        StringBuilder sb = new StringBuilder();
        for (PeakRule r : o.rules()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(r == PeakRule.IQR ? "iqr (MI > Q3 + 1.5 IQR)"
                    : "top-k (k=" + o.topK() + ")");
        }
        return sb.toString();
    }

    private static void lens(StringBuilder sb, Inputs in) {
        LensSummary l = in.lens();
        sb.append("\n## Logit lens at MI peaks (lens.jsonl)\n\n");
        sb.append(l.problems()).append(" problems. Agreement: the share of lensed steps (the peak steps, or every step "
                + "with `lens --all-steps`) where lm_head(final_norm(h)) of that layer's state is the generated token. ");
        if (in.lastLayer() != null) {
            sb.append("The model's last layer (").append(in.lastLayer()).append(") agrees by construction under greedy "
                    + "decoding: its lens is the output that chose the token");
            sb.append(l.agreement().containsKey(in.lastLayer()) ? "" : " (not among the lensed layers)");
            sb.append(". ");
        } else {
            sb.append("The model's last layer agrees by construction under greedy decoding (its lens is the output that "
                    + "chose the token). ");
        }
        sb.append("Earlier layers show how early the choice can be read off the residual stream.\n\n");
        sb.append("| layer | lensed steps | agreement | top lens tokens |\n|---|---|---|---|\n");
        l.agreement().forEach((layer, v) -> {
            sb.append("| ").append(layer).append(layer.equals(in.lastLayer()) ? " (last)" : "").append(" | ")
                    .append(l.lensed().get(layer)).append(" | ")
                    .append(v == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * v)).append(" | ");
            List<ThinkingTokens.Row> t = l.tokens().getOrDefault(layer, List.of());
            for (int i = 0; i < Math.min(5, t.size()); i++) {
                sb.append(i == 0 ? "" : ", ").append(Md.code(t.get(i).word())).append(" ").append(t.get(i).freq());
            }
            sb.append(" |\n");
        });
        if (in.lensPlot()) {
            sb.append("\n![Logit-lens agreement by layer](plots/lens_agreement.png)\n");
        }
    }

    static void table1(StringBuilder sb, RunAnalysis a) {
        sb.append("| layer | rule | problems | mean peaks | mean steps | ratio | pooled ratio | mean interval | "
                + "excluded (< 2 peaks) |\n|---|---|---|---|---|---|---|---|---|\n");
        for (LayerStats ls : a.perLayer().values()) {
            table1Rows(sb, ls, String.valueOf(ls.layer()));
        }
        table1Rows(sb, a.allLayers(), "all");
    }

    private static void table1Rows(StringBuilder sb, LayerStats ls, String label) {
        for (PeakTable t : ls.table1().values()) {
            sb.append("| ").append(label).append(" | ").append(t.rule().key()).append(" | ").append(t.problems())
                    .append(" | ").append(Md.num2(t.meanPeaks())).append(" | ").append(Md.num2(t.meanSteps()))
                    .append(" | ").append(Md.num(t.ratio())).append(" | ").append(Md.num(t.pooledRatio()))
                    .append(" | ").append(t.meanInterval() == null ? "n/a" : Md.num2(t.meanInterval()))
                    .append(" | ").append(t.intervalExcluded()).append(" |\n");
        }
    }

    static void miTable(StringBuilder sb, RunAnalysis a) {
        sb.append("| layer | steps | mean MI | std | AOM | AOM problems | excluded: no peak | excluded: IQR = 0 |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (LayerStats ls : a.perLayer().values()) {
            miRow(sb, ls.mi(), String.valueOf(ls.layer()));
        }
        miRow(sb, a.allLayers().mi(), "all");
    }

    private static void miRow(StringBuilder sb, MiSummary m, String label) {
        sb.append("| ").append(label).append(" | ").append(m.values()).append(" | ").append(Md.num(m.mean()))
                .append(" | ").append(Md.num(m.std())).append(" | ").append(Md.num(m.aom())).append(" | ")
                .append(m.aomProblems()).append(" | ").append(m.aomNoPeak()).append(" | ").append(m.aomZeroIqr())
                .append(" |\n");
    }

    /** The paper's Table 2 view: one row per run at one layer. */
    static void table2(StringBuilder sb, Map<String, RunAnalysis> runs, int layer, PeakRule rule) {
        sb.append("| run | model | estimator | problems | mean MI | std | AOM (n / no peak / IQR=0) | mean peaks ("
                + rule.key() + ") | mean steps | ratio | mean interval |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, RunAnalysis> e : runs.entrySet()) {
            RunAnalysis a = e.getValue();
            LayerStats ls = a.perLayer().get(layer);
            if (ls == null) {
                sb.append("| ").append(Md.cell(e.getKey())).append(" | | | | (no layer ").append(layer).append(") | | | | | | |\n");
                continue;
            }
            MiSummary m = ls.mi();
            PeakTable t = ls.table(rule);
            sb.append("| ").append(Md.cell(e.getKey())).append(" | ").append(Md.cell(a.run().config().model()))
                    .append(" | ").append(Md.cell(a.run().config().estimatorDescription())).append(" | ")
                    .append(a.problems().size()).append(" | ").append(Md.num(m.mean())).append(" | ")
                    .append(Md.num(m.std())).append(" | ").append(Md.num(m.aom())).append(" (").append(m.aomProblems())
                    .append(" / ").append(m.aomNoPeak()).append(" / ").append(m.aomZeroIqr()).append(") | ")
                    .append(Md.num2(t.meanPeaks())).append(" | ").append(Md.num2(t.meanSteps())).append(" | ")
                    .append(Md.num(t.ratio())).append(" | ")
                    .append(t.meanInterval() == null ? "n/a" : Md.num2(t.meanInterval())).append(" |\n");
        }
    }
}
