package dev.mipeaks.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What `mipeaks peaks` produces, callable by the pipeline after a run: {@link #peaks} writes peaks.jsonl,
 * stats.json, thinking_tokens.jsonl (and sigma_sweep.json), reading only the run folder (no model);
 * dev.mipeaks.report.RunReport writes plots/*.png|svg, report.md and report.html from the same analysis.
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

    static String now() {
        return Instant.now().toString();
    }
}
