package dev.mipeaks.cli;

import dev.mipeaks.analysis.PeakSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
public final class PeaksCommand extends CommandBase {
    @Parameters(index = "0", paramLabel = "RUN", description = "Run folder (runs/NAME).")
    Path run;

    @Mixin
    AnalysisCliOptions analysis;

    @Option(names = "--sigma", paramLabel = "S1,S2,...", split = ",", converter = SigmaConverter.class,
            description = "Kernel widths for the sigma sweep, e.g. 50,100,200,400 (numbers or 'median').")
    List<String> sigma;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        List<String> sigmas = sigma == null ? List.of() : sigma;
        int t = threads.resolve(err);
        var options = analysis.toOptions();
        PeakSummary.write(run, options, dev.mipeaks.analysis.RunVocabulary.load(run, err), sigmas, t, out, err);
        return 0;
    }
}
