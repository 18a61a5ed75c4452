package dev.mipeaks.cli;

import dev.mipeaks.analysis.LayerStats;
import dev.mipeaks.analysis.PeakRule;
import dev.mipeaks.analysis.PeakTable;
import dev.mipeaks.analysis.RunAnalysis;
import dev.mipeaks.analysis.RunOutputs;
import dev.mipeaks.analysis.RunReader;
import dev.mipeaks.analysis.SigmaSweep;
import dev.mipeaks.analysis.ThinkingTokens;
import dev.mipeaks.io.FolderLock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mipeaks peaks runs/NAME: peaks, Table 1 and MI statistics, thinking tokens, optional sigma sweep. */
@Command(name = "peaks", mixinStandardHelpOptions = true,
        description = {"Find MI peaks in a finished run (no model needed) and write peaks.jsonl, stats.json and "
                + "thinking_tokens.jsonl into the run folder; with --sigma also sigma_sweep.json (MI recomputed from "
                + "the stored hidden states for each kernel width)."})
public final class PeaksCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "Run folder (runs/NAME).")
    Path run;

    @Mixin
    AnalysisCliOptions analysis;

    @Option(names = "--sigma", paramLabel = "S1,S2,...",
            description = "Kernel widths for the sigma sweep, e.g. 50,100,200,400 (numbers or 'median').")
    String sigma;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads for the sigma sweep (default: all cores).")
    Integer threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> sigmas = sigma == null ? List.of() : SigmaSweep.parseSigmas(sigma);
        int t = CliChecks.threads(threads, err);
        var options = analysis.toOptions();
        analyse(run, options, RunVocabulary.load(run, err), sigmas, t, out, err);
        return 0;
    }

    /**
     * Peaks (and the sigma sweep when {@code sigmas} is not empty) of a run, with a printed summary; the run folder
     * is locked while its files are written.
     */
    static RunOutputs.Written analyse(Path run, dev.mipeaks.analysis.AnalysisOptions options,
                                      dev.mipeaks.analysis.Vocabulary vocab, List<String> sigmas, int t,
                                      PrintWriter out, PrintWriter err) throws java.io.IOException {
        var data = RunReader.open(run); // a run folder, before it is locked (no lock file left in another folder)
        SigmaSweep.EstimatorFactory factory = sigmas.isEmpty() ? null : SigmaSweep.fromRegistry(data.config());
        RunOutputs.Written w;
        try (FolderLock lock = FolderLock.acquireExisting(run, "peaks", err)) {
            w = RunOutputs.peaks(run, options, vocab, sigmas, factory, t);
        }
        summary(out, w.analysis(), w.tokens());
        if (w.sweep() != null) {
            SigmaSweep.Result s = w.sweep();
            out.printf(Locale.ROOT, "sigma sweep %s over %d problems: mean Jaccard of IQR peaks vs sigma=%s at layer %d:",
                    s.sigmas(), s.problems(), s.sigmas().get(0), w.analysis().layer());
            double[][] j = s.jaccard().get(w.analysis().layer()).get(PeakRule.IQR);
            for (int b = 0; b < j.length; b++) {
                out.printf(Locale.ROOT, " %s:%.3f", s.sigmas().get(b), j[0][b]);
            }
            out.println();
        }
        out.println("wrote " + String.join(", ", w.files().stream().map(Path::toString).toList()));
        return w;
    }

    static void summary(PrintWriter out, RunAnalysis a, List<ThinkingTokens.Row> rows) {
        out.printf(Locale.ROOT, "run %s: %d problems analysed, %d skipped; model %s; estimator %s; layers %s%n",
                a.run().name(), a.problems().size(), a.skippedCount(), a.run().config().model(),
                a.run().config().estimatorDescription(), a.run().config().layers());
        for (LayerStats ls : a.perLayer().values()) {
            StringBuilder sb = new StringBuilder("  layer " + ls.layer() + ":");
            for (PeakTable t : ls.table1().values()) {
                sb.append(String.format(Locale.ROOT, " %s peaks/problem %.2f (ratio %s, interval %s);",
                        t.rule().key(), t.meanPeaks(), fmt(t.ratio()), fmt(t.meanInterval())));
            }
            sb.append(String.format(Locale.ROOT, " steps %.1f; MI mean %s std %s AOM %s (n=%d)",
                    ls.table1().values().iterator().next().meanSteps(), fmt(ls.mi().mean()), fmt(ls.mi().std()),
                    fmt(ls.mi().aom()), ls.mi().aomProblems()));
            out.println(sb);
        }
        out.println(tokenLine("  thinking tokens (layer " + a.layer() + ", " + a.options().tokenRule().key()
                + " peaks)", rows, 10));
        String warn = a.topKWarning();
        if (warn != null) {
            out.println("  warning: " + warn);
        }
    }

    /** {@code label: "So" (2100, 4516) x394, "Wait" (14524) x120, ...}: the first {@code n} rows. */
    static String tokenLine(String label, List<ThinkingTokens.Row> rows, int n) {
        StringBuilder sb = new StringBuilder(label).append(':');
        if (rows.isEmpty()) {
            return sb.append(" none").toString();
        }
        for (int i = 0; i < Math.min(n, rows.size()); i++) {
            sb.append(i == 0 ? " " : ", ").append(rows.get(i).shown()).append(" x").append(rows.get(i).freq());
        }
        return sb.toString();
    }

    static String fmt(Double v) {
        return v == null || !Double.isFinite(v) ? "n/a" : String.format(Locale.ROOT, "%.4g", v);
    }
}
