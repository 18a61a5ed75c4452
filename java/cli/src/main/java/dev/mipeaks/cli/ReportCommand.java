package dev.mipeaks.cli;

import dev.mipeaks.report.ReportHtml;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.io.FolderLock;
import dev.mipeaks.analysis.RunOutputs;
import dev.mipeaks.analysis.RunReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mipeaks report runs/NAME: plots (PNG and SVG), report.md and report.html. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write plots/*.png, plots/*.svg and report.md for a finished run: Table 1, mean/std/AOM per "
                + "layer, trajectories with peaks, thinking tokens, and the sigma sweep when sigma_sweep.json exists.",
                "Also report.html: one self-contained page (no network) with each problem's response coloured by MI "
                        + "per token, the peaks marked, MI per layer on hover, and interactive trajectories."})
public final class ReportCommand extends CommandBase {
    @Parameters(index = "0", paramLabel = "RUN", description = "Run folder (runs/NAME).")
    Path run;

    @Mixin
    AnalysisCliOptions analysis;

    @Option(names = "--html-layers", paramLabel = "auto|all|L,L,...", defaultValue = "auto",
            description = "Layers whose MI report.html embeds (default auto: every layer unless problems x steps x "
                    + "layers exceeds " + ReportHtml.DEFAULT_MAX_VALUES + " values, then evenly spaced layers "
                    + "including --layer).")
    String htmlLayers;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        // a run folder, before it is locked (no lock file left in another folder)
        List<Integer> runLayers = RunReader.open(run).config().layers();
        List<Integer> requested = ReportHtml.parseLayers(htmlLayers, runLayers);
        RunOutputs.Written w;
        try (FolderLock lock = FolderLock.acquireExisting(run, "report", err)) {
            w = dev.mipeaks.report.RunReport.write(run, analysis.toOptions(), dev.mipeaks.analysis.RunVocabulary.load(run, err), requested);
        }
        String warn = w.analysis().topKWarning();
        if (warn != null) {
            err.println("mipeaks: warning: " + warn);
        }
        Path plots = run.resolve(RunLayout.PLOTS_DIR);
        long plotFiles = w.files().stream().filter(f -> f.startsWith(plots)).count();
        out.println("wrote " + run.resolve(RunLayout.REPORT) + ", " + run.resolve(RunLayout.REPORT_HTML) + " and "
                + plotFiles + " plot files in " + plots);
        List<Integer> embedded = ReportHtml.layersFor(w.analysis(), requested, ReportHtml.DEFAULT_MAX_VALUES);
        if (embedded.size() < runLayers.size()) {
            out.println("report.html embeds the MI of layers " + embedded + " of " + runLayers.size()
                    + " (--html-layers all embeds every layer: about "
                    + ReportHtml.totalSteps(w.analysis()) * runLayers.size() * 16 / 3 / 1_000_000 + " MB of MI values)");
        }
        return 0;
    }
}
