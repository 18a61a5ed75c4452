package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.io.AtomicFiles;
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
        AnalysisWriter.writeStats(a, new AnalysisWriter.ThinkingTokensInfo(vocab != null), stats);
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

    /**
     * Analyses the run and writes plots/, report.md (including sigma_sweep.json's tables when present) and
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
        Path plots = runDir.resolve(RunLayout.PLOTS_DIR);
        List<Path> files = new ArrayList<>();
        Map<String, String> images = new LinkedHashMap<>();

        files.addAll(trajectoryFigure(a).save(plots, "trajectories"));
        images.put("trajectories", "trajectories");
        files.addAll(Figure.single(Charts.miPerLayer(Map.of(run.name(), a.perLayer())), 900, 500)
                .save(plots, "mi_per_layer"));
        if (!rows.isEmpty()) {
            String sub = "run " + run.name() + ", layer " + a.layer() + ", " + a.options().tokenRule().key()
                    + " peaks, " + a.thinkingTokens().total() + " peak steps";
            files.addAll(Figure.single(Charts.thinkingTokens(rows, 20, sub), 900, 600).save(plots, "thinking_tokens"));
        }
        Map<String, double[]> hist = new LinkedHashMap<>();
        hist.put(run.name(), a.layerValues());
        files.addAll(Figure.single(Charts.histograms(hist, a.layer(), 50), 900, 500).save(plots, "mi_histogram"));

        Path sweepFile = runDir.resolve(RunLayout.SIGMA_SWEEP);
        JsonNode sweep = Files.isRegularFile(sweepFile) ? JsonFields.readFile(sweepFile) : null;
        String md = ReportMarkdown.run(a, rows, vocab != null, sweep, !rows.isEmpty());
        Path report = runDir.resolve(RunLayout.REPORT);
        AtomicFiles.writeString(report, md);
        files.add(report);
        Path html = runDir.resolve(RunLayout.REPORT_HTML);
        ReportHtml.write(a, pageLayers, html);
        files.add(html);
        return new Written(a, rows, null, files);
    }

    static Figure trajectoryFigure(RunAnalysis a) {
        List<org.jfree.chart.JFreeChart> charts = new ArrayList<>();
        boolean first = true;
        for (RunAnalysis.Trajectory t : a.trajectories()) {
            charts.add(Charts.trajectory(t, a.options().topK(), first));
            first = false;
        }
        return new Figure(charts, 3, 560, 320);
    }

    static String now() {
        return Instant.now().toString();
    }
}
