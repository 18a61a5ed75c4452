package dev.mipeaks.analysis;

import dev.mipeaks.io.FolderLock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The printed summary of a run's peaks (what {@code mipeaks peaks}, {@code run}, {@code merge} and {@code demo} print
 * after writing them; {@code compare} and {@code lens} use its number and token-list formats), and
 * {@link #write}: the peak outputs written under the run folder's lock, then printed.
 */
public final class PeakSummary {
    private PeakSummary() {
    }

    /**
     * Writes the peaks (and the sigma sweep when {@code sigmas} is not empty) of a run with
     * {@link RunOutputs#peaks}, the run folder locked while its files are written, then prints the summary, the
     * sweep's Jaccard line and the files written.
     */
    public static RunOutputs.Written write(Path run, AnalysisOptions options, Vocabulary vocab, List<String> sigmas,
                                           int threads, PrintWriter out, PrintWriter err) throws IOException {
        var data = RunReader.open(run); // a run folder, before it is locked (no lock file left in another folder)
        SigmaSweep.EstimatorFactory factory = sigmas.isEmpty() ? null : SigmaSweep.fromRegistry(data.config());
        RunOutputs.Written w;
        try (FolderLock lock = FolderLock.acquireExisting(run, "peaks", err)) {
            w = RunOutputs.peaks(run, options, vocab, sigmas, factory, threads);
        }
        print(out, w.analysis(), w.tokens());
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

    /** The run line, one line per layer (Table 1 per rule, MI statistics) and the top thinking tokens. */
    public static void print(PrintWriter out, RunAnalysis a, List<ThinkingTokens.Row> rows) {
        out.printf(Locale.ROOT, "run %s: %d problems analysed, %d skipped; model %s; estimator %s; layers %s%n",
                a.run().name(), a.problems().size(), a.skippedCount(), a.run().config().model(),
                a.run().config().estimatorDescription(), a.run().config().layers());
        for (LayerStats ls : a.perLayer().values()) {
            StringBuilder sb = new StringBuilder("  layer " + ls.layer() + ":");
            for (PeakTable t : ls.table1().values()) {
                sb.append(String.format(Locale.ROOT, " %s peaks/problem %.2f (ratio %s, interval %s);",
                        t.rule().key(), t.meanPeaks(), number(t.ratio()), number(t.meanInterval())));
            }
            sb.append(String.format(Locale.ROOT, " steps %.1f; MI mean %s std %s AOM %s (n=%d)",
                    ls.table1().values().iterator().next().meanSteps(), number(ls.mi().mean()), number(ls.mi().std()),
                    number(ls.mi().aom()), ls.mi().aomProblems()));
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
    public static String tokenLine(String label, List<ThinkingTokens.Row> rows, int n) {
        StringBuilder sb = new StringBuilder(label).append(':');
        if (rows.isEmpty()) {
            return sb.append(" none").toString();
        }
        for (int i = 0; i < Math.min(n, rows.size()); i++) {
            sb.append(i == 0 ? " " : ", ").append(rows.get(i).shown()).append(" x").append(rows.get(i).freq());
        }
        return sb.toString();
    }

    /** A statistic as printed: 4 significant digits, {@code n/a} when absent or not finite. */
    public static String number(Double v) {
        return v == null || !Double.isFinite(v) ? "n/a" : String.format(Locale.ROOT, "%.4g", v);
    }
}
