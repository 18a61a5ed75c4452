package dev.mipeaks.cli;

import dev.mipeaks.analysis.PeakSummary;
import dev.mipeaks.report.RunComparison;
import dev.mipeaks.io.FolderLock;
import dev.mipeaks.io.OutputPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mipeaks compare runs/A runs/B ...: the paper's Table 2 view with distribution and trajectory plots. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare runs side by side (mean, std, AOM, peaks, ratio, intervals) with overlaid MI histograms "
                + "and trajectories of the same problems. Runs must share problems (by id), layers and estimator "
                + "unless --force."})
public final class CompareCommand extends CommandBase {
    @Parameters(arity = "2..*", paramLabel = "RUN", description = "Run folders (two or more).")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (default: compare-A-vs-B-... beside the first run).")
    Path out;

    @Option(names = "--force", description = "Compare even when problems, layers or estimators differ; write into a "
            + "non-empty --out folder that holds no comparison.")
    boolean force;

    @Mixin
    AnalysisCliOptions analysis;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = out();
        Path dir = out;
        if (dir == null) {
            Path first = runs.get(0).toAbsolutePath().normalize();
            String name = "compare-" + runs.stream().map(r -> String.valueOf(r.toAbsolutePath().normalize().getFileName()))
                    .collect(Collectors.joining("-vs-"));
            dir = first.getParent() == null ? Path.of(name) : first.getParent().resolve(name);
        }
        var options = analysis.toOptions();
        // the inputs first (cheap: configs and manifests), so that a bad run leaves no output folder behind
        RunComparison.check(runs.stream().map(dev.mipeaks.analysis.RunReader::open).toList(), force);
        Map<Path, String> inputs = new LinkedHashMap<>();
        runs.forEach(r -> inputs.put(r, "RUN"));
        OutputPaths.requireNotInput("--out", dir, inputs);
        OutputPaths.requireFolder("--out", dir, force, "a comparison folder", "compare.json");
        RunComparison.Written w;
        try (FolderLock lock = FolderLock.acquire(dir, "compare", err())) {
            w = RunComparison.write(runs, dir, options, force);
        }
        for (String d : w.differences()) {
            err().println("mipeaks: warning: " + d + " (compared because of --force)");
        }
        for (String n : w.notes()) {
            err().println("mipeaks: note: " + n);
        }
        w.analyses().forEach((k, a) -> {
            var ls = a.perLayer().get(w.layer());
            o.printf(java.util.Locale.ROOT, "%s layer %d: mean MI %s std %s AOM %s%n", k, w.layer(),
                    PeakSummary.number(ls.mi().mean()), PeakSummary.number(ls.mi().std()), PeakSummary.number(ls.mi().aom()));
        });
        o.println("wrote " + dir.resolve("compare.md") + ", compare.json and plots in " + dir.resolve("plots"));
        return 0;
    }
}
