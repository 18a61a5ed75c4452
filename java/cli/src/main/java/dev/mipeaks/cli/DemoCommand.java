package dev.mipeaks.cli;

import dev.mipeaks.MipeaksException;
import java.io.PrintWriter;
import dev.mipeaks.pipeline.DemoRun;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mipeaks demo}: the whole pipeline on a model the project builds itself and the problems it ships. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole MI-peaks pipeline with no download: a seeded random Llama (4 layers, byte "
                + "tokenizer) written to OUT/model and the problems shipped in the jar; generation, ground truth, MI "
                + "(nhsic, sigma 50) on every layer, peaks, plots and OUT/report.md. The model has random weights: the "
                + "demo shows the pipeline, not a result."})
public final class DemoCommand extends CommandBase {

    @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR", description = "Run folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + DemoRun.DEFAULT_SEED, description = "Seed of the random model (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-new-tokens", defaultValue = "48", paramLabel = "N", description = "Tokens per problem (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Mixin
    LibTorchOptions libtorch;

    @Option(names = "--force", description = "Write into a non-empty --out folder that holds no demo run (replacing a "
            + "model in OUT/model).")
    boolean force;

    @Mixin
    AnalysisCliOptions analysis;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = err();
        int t = libtorch.cpu.resolve(err);
        if (maxNewTokens < 1) {
            throw MipeaksException.invalid("--max-new-tokens " + maxNewTokens + ": must be at least 1");
        }
        DemoRun.run(out, seed, maxNewTokens, t, analysis.toOptions(), force, () -> libtorch.load(t), out(), err);
        return 0;
    }
}
