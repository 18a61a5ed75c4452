package dev.mipeaks.cli;

import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.analysis.RunOutputs;
import dev.mipeaks.analysis.RunReader;
import dev.mipeaks.io.FolderLock;
import dev.mipeaks.pipeline.RunMerge;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mipeaks merge --out runs/NAME runs/A runs/B ...}: joins the folders of sharded runs. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Join the run folders of 'mipeaks run --shard i/n' into one run: configurations must agree except "
                + "for the shard, a problem present twice must be identical. Then writes peaks.jsonl, stats.json and "
                + "thinking_tokens.jsonl (run 'mipeaks report' for plots and report.md)."})
public final class MergeCommand extends CommandBase {

    @Mixin
    OutputOptions output;

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "Shard run folders.")
    List<Path> inputs;

    @Option(names = "--no-peaks", description = "Only merge; do not write the peak outputs.")
    boolean noPeaks;

    @Mixin
    AnalysisCliOptions analysis;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = out();
        PrintWriter err = err();
        var options = analysis.toOptions();
        Path out = output.out;
        RunMerge.Result r = RunMerge.merge(out, inputs, output.force, err);
        stdout.printf("merged %d input folders into %s: %d problems (%d new, %d skipped)%s%n", inputs.size(), out,
                r.problems(), r.added(), r.skipped(), r.shardsSeen().isEmpty() ? "" : "; shards " + r.shardsSeen());
        if (!noPeaks && !RunReader.open(out).okEntries().isEmpty()) {
            RunOutputs.Written w;
            try (FolderLock lock = FolderLock.acquire(out, "merge", err)) {
                w = RunOutputs.peaks(out, options, dev.mipeaks.analysis.RunVocabulary.load(out, err), List.of(), null, 1);
            }
            dev.mipeaks.analysis.PeakSummary.print(stdout, w.analysis(), w.tokens());
            stdout.println("wrote " + out.resolve(RunLayout.PEAKS) + " and stats; 'mipeaks report " + out
                    + "' writes plots and report.md");
        }
        stdout.flush();
        return 0;
    }
}
