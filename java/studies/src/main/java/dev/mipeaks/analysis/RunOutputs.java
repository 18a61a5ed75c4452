package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.report.ChartStyle;
import dev.mipeaks.report.Figure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What `mipeaks peaks` and `mipeaks report` produce, callable by the pipeline after a run:
 * {@link #peaks} writes peaks.jsonl, stats.json, thinking_tokens.jsonl (and sigma_sweep.json), {@link #report}
 * writes plots/*.png|svg, report.md and report.html. Both read only the run folder (no model).
 */
public final class RunOutputs {
    private RunOutputs() {
    }

    /** Files written and the analysis they came from. */
    public record Written(RunAnalysis analysis, List<ThinkingTokens.Row> tokens, SigmaSweep.Result sweep, List<Path> files) {
    }

    /**
     * Analyses the run and writes its peak outputs.
     *
     * @param vocab   the tokenizer's vocabulary for the thinking-token ids, or null (ids seen at peaks only)
     * @param sigmas  kernel widths for the sigma sweep, or empty for none
     * @param factory estimator per width for the sweep (e.g. {@link SigmaSweep#fromRegistry}); unused without sigmas
     */
    public static Written peaks(Path runDir, AnalysisOptions options, Vocabulary vocab, List<String> sigmas,
                                SigmaSweep.EstimatorFactory factory, int threads) throws IOException {
        RunData run = RunReader.open(runDir);
        RunAnalysis a = RunAnalysis.analyze(run, options);
        List<ThinkingTokens.Row> rows = a.thinkingTokens().rows(vocab);
        List<Path> files = new ArrayList<>();
        Path peaks = runDir.resolve(RunLayout.PEAKS);
        AnalysisWriter.writePeaks(a, peaks);
        files.add(peaks);
        Path stats = runDir.resolve(RunLayout.STATS);
        AnalysisWriter.writeStats(a, new AnalysisWriter.ThinkingTokensInfo(vocab != null,
                a.thinkingTokens().excluded(vocab)), stats);
        files.add(stats);
        Path tt = runDir.resolve(RunLayout.THINKING_TOKENS);
        AnalysisWriter.writeThinkingTokens(rows, tt);
        files.add(tt);
        SigmaSweep.Result sweep = null;
        if (!sigmas.isEmpty()) {
            sweep = SigmaSweep.run(run, sigmas, factory, threads, options.topK());
            Path sj = runDir.resolve(RunLayout.SIGMA_SWEEP);
            SweepJson.write(sweep, run.config().estimator(), sj);
            files.add(sj);
        }
        return new Written(a, rows, sweep, files);
    }

    /** Panel size of the trajectory grid (pixels). */
    static final int PANEL_WIDTH = 600;
    static final int PANEL_HEIGHT = 360;
    /** Bars of the thinking-token chart at most. */
    static final int TOKEN_BARS = 20;

    /**
     * Analyses the run and writes plots/, report.md, including what other commands left in the folder:
     * sigma_sweep.json (Jaccard heatmaps and tables) and lens.jsonl / lens_tokens.jsonl (agreement by layer), and
     * report.html with the layers {@link ReportHtml#layersFor} picks automatically.
     */
    public static Written report(Path runDir, AnalysisOptions options, Vocabulary vocab) throws IOException {
        return report(runDir, options, vocab, null);
    }

    /** As {@link #report(Path, AnalysisOptions, Vocabulary)}; {@code htmlLayers}: report.html's layers, null = auto. */
    public static Written report(Path runDir, AnalysisOptions options, Vocabulary vocab, List<Integer> htmlLayers)
            throws IOException {
        RunData run = RunReader.open(runDir);
        RunAnalysis a = RunAnalysis.analyze(run, options);
        List<Integer> pageLayers = ReportHtml.layersFor(a, htmlLayers, ReportHtml.DEFAULT_MAX_VALUES);
        List<ThinkingTokens.Row> rows = a.thinkingTokens().rows(vocab);
        long special = a.thinkingTokens().excluded(vocab);
        Path plots = runDir.resolve(RunLayout.PLOTS_DIR);
        List<Path> files = new ArrayList<>();
        RunConfig cfg = run.config();
        String yLabel = Charts.miLabel(cfg);
        String context = ChartStyle.context(cfg.model(), cfg.dataset(), a.problems().size());

        files.addAll(trajectoryFigure(a).save(plots, "trajectories"));
        files.addAll(Figure.single(Charts.miPerLayer(Map.of(run.name(), a.perLayer()), yLabel, context), 900, 500)
                .save(plots, "mi_per_layer"));
        if (!rows.isEmpty()) {
            String sub = context + "; layer " + a.layer() + ", " + a.options().tokenRule().key() + " peaks, "
                    + a.thinkingTokens().total() + " peak steps"
                    + (special > 0 ? ", " + special + " at special tokens left out" : "");
            int bars = Math.min(TOKEN_BARS, rows.size());
            files.addAll(Figure.single(Charts.thinkingTokens(rows, TOKEN_BARS, sub), 900, 150 + 26 * bars)
                    .save(plots, "thinking_tokens"));
        }
        Map<String, double[]> hist = new LinkedHashMap<>();
        hist.put(run.name(), a.layerValues());
        files.addAll(Figure.single(Charts.histograms(hist, a.layer(), 50, yLabel, context), 900, 500)
                .save(plots, "mi_histogram"));

        LensSummary lens = LensSummary.read(runDir);
        Integer modelLayers = cfg.modelLayers();
        Integer lastLayer = modelLayers == null ? null : modelLayers - 1;
        boolean lensPlot = lens != null && lens.agreement().values().stream().anyMatch(java.util.Objects::nonNull);
        if (lensPlot) {
            files.addAll(Figure.single(Charts.lensAgreement(lens.agreement(), lastLayer,
                    ChartStyle.context(cfg.model(), cfg.dataset(), lens.problems())), 900, 480).save(plots, "lens_agreement"));
        }
        Path sweepFile = runDir.resolve(RunLayout.SIGMA_SWEEP);
        JsonNode sweep = Files.isRegularFile(sweepFile) ? JsonFields.readFile(sweepFile) : null;
        boolean sweepPlot = false;
        if (sweep != null) {
            Figure h = SweepJson.heatmaps(sweep, options.rules(), context);
            if (h != null) {
                files.addAll(h.save(plots, "sigma_jaccard"));
                sweepPlot = true;
            }
        }
        String md = ReportMarkdown.run(new ReportMarkdown.Inputs(a, rows, special, vocab != null, sweep, sweepPlot,
                lens, lensPlot, lastLayer));
        Path report = runDir.resolve(RunLayout.REPORT);
        AtomicFiles.writeString(report, md);
        files.add(report);
        Path html = runDir.resolve(RunLayout.REPORT_HTML);
        ReportHtml.write(a, pageLayers, html);
        files.add(html);
        return new Written(a, rows, null, files);
    }

    /**
     * The trajectory grid: panels sized for reading (600 x 360), columns by the number of problems, one title with
     * the run's context and one legend for the figure.
     */
    static Figure trajectoryFigure(RunAnalysis a) {
        RunConfig cfg = a.run().config();
        String yLabel = Charts.miLabel(cfg);
        List<org.jfree.chart.JFreeChart> charts = new ArrayList<>();
        for (RunAnalysis.Trajectory t : a.trajectories()) {
            charts.add(Charts.trajectory(t, a.options(), yLabel, PANEL_WIDTH, PANEL_HEIGHT));
        }
        String title = "MI trajectories at layer " + a.layer() + ": "
                + (a.trajectories().size() == a.problems().size() ? "all " + a.problems().size() + " problems"
                : "the first " + a.trajectories().size() + " of " + a.problems().size() + " problems");
        return Figure.grid(charts, PANEL_WIDTH, PANEL_HEIGHT)
                .withTitle(title, ChartStyle.context(cfg.model(), cfg.dataset(), a.problems().size()) + ", "
                        + cfg.estimatorDescription())
                .withLegend(Charts.trajectoryLegend(a.options()));
    }

    static String now() {
        return Instant.now().toString();
    }
}
