package dev.mipeaks.cli;

import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.io.FolderLock;
import dev.mipeaks.analysis.RunOutputs;
import dev.mipeaks.analysis.RunReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** mipeaks report runs/NAME: plots (PNG and SVG) and report.md. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write plots/*.png, plots/*.svg and report.md for a finished run: Table 1, mean/std/AOM per "
                + "layer, trajectories with peaks, thinking tokens, and the sigma sweep when sigma_sweep.json exists."})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "Run folder (runs/NAME).")
    Path run;

    @Mixin
    AnalysisCliOptions analysis;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var options = analysis.toOptions();
        RunReader.open(run); // a run folder, before it is locked (no lock file left in another folder)
        RunOutputs.Written w;
        try (FolderLock lock = FolderLock.acquireExisting(run, "report", err)) {
            w = RunOutputs.report(run, options, RunVocabulary.load(run, err));
        }
        out.println("wrote " + run.resolve(RunLayout.REPORT) + " and " + (w.files().size() - 1) + " plot files in "
                + run.resolve(RunLayout.PLOTS_DIR));
        return 0;
    }
}
