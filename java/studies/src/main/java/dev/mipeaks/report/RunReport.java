package dev.mipeaks.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.JsonFields;
import dev.mipeaks.analysis.LensSummary;
import dev.mipeaks.analysis.RunAnalysis;
import dev.mipeaks.analysis.RunConfig;
import dev.mipeaks.analysis.RunData;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.analysis.RunOutputs;
import dev.mipeaks.analysis.RunReader;
import dev.mipeaks.analysis.ThinkingTokens;
import dev.mipeaks.analysis.Vocabulary;
import dev.mipeaks.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What `mipeaks report` produces for a run folder, callable by the pipeline after a run: plots/*.png|svg, report.md
 * and report.html (what `mipeaks peaks` writes: dev.mipeaks.analysis.RunOutputs). Reads only the run folder (no model).
 */
public final class RunReport {
    private RunReport() {
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
    public static RunOutputs.Written write(Path runDir, AnalysisOptions options, Vocabulary vocab) throws IOException {
        return write(runDir, options, vocab, null);
    }

    /** As {@link #write(Path, AnalysisOptions, Vocabulary)}; {@code htmlLayers}: report.html's layers, null = auto. */
    public static RunOutputs.Written write(Path runDir, AnalysisOptions options, Vocabulary vocab, List<Integer> htmlLayers)
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
            Figure h = SweepReport.heatmaps(sweep, options.rules(), context);
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
        return new RunOutputs.Written(a, rows, null, files);
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
}
