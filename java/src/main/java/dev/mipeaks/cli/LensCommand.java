package dev.mipeaks.cli;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.LogitLens;
import dev.mipeaks.analysis.Peaks;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.io.FolderLock;
import dev.mipeaks.io.OutputPaths;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mipeaks lens RUN --model DIR}: the logit lens at MI peaks, from a run's stored states. LibTorch is touched
 * only inside {@link #call()} (through {@link LensRun}).
 */
@Command(name = "lens", mixinStandardHelpOptions = true,
        description = {"Logit lens at MI peaks: for each stored layer state at each peak step (IQR and top-k rules), "
                + "the token lm_head(final_norm(h)) would emit.",
                "Writes lens.jsonl (per problem and layer: lens ids and texts at peak steps, agreement with the "
                        + "generated token) and lens_tokens.jsonl (lens tokens at peaks counted by word) into the run "
                        + "folder (or --out)."})
public final class LensCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "Run folder (runs/NAME) with problems/*.safetensors.")
    Path run;

    @Option(names = "--model", paramLabel = "DIR|ORG/NAME[@REV]",
            description = "The run's model: a folder (config.json, weights; tokenizer.json for token texts) or a "
                    + "Hugging Face id found offline in the local hub cache (default: the model the run's config.json "
                    + "names, at its recorded snapshot).")
    String model;

    @Option(names = "--layer", paramLabel = "L", description = "Only this layer (default: every layer of the run).")
    Integer layer;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "" + Peaks.DEFAULT_TOP_K,
            description = "k of the top-k peak rule (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--rule", paramLabel = "iqr|topk|both", defaultValue = "both",
            description = "Peaks whose lens tokens are counted in lens_tokens.jsonl: top-k when computed (default "
                    + "both), else iqr.")
    String rule;

    @Option(names = "--all-steps",
            description = "Apply the lens at every step (lens.jsonl then lists every step's lens id), not only at peaks.")
    boolean allSteps;

    @Option(names = "--include-special",
            description = "Count special tokens (<|eos|>, ...) in lens_tokens.jsonl (default: left out).")
    boolean includeSpecial;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: the run folder; "
            + "`mipeaks report` shows the lens when it is the run folder).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out folder that holds no lens output or run.")
    boolean force;

    @picocli.CommandLine.Mixin
    ModelRuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        if (topK < 1) {
            throw MipeaksException.invalid("--top-k must be >= 1, got " + topK);
        }
        var rules = dev.mipeaks.analysis.AnalysisOptions.parseRules(rule);
        var options = new dev.mipeaks.analysis.AnalysisOptions(topK, rules, layer, 1, includeSpecial);
        var data = dev.mipeaks.analysis.RunReader.open(run);
        dev.mipeaks.model.ModelSource source = model != null ? dev.mipeaks.model.ModelSource.resolve(model)
                : runModel(run, data.config().model());
        Path dir = out == null ? run : out;
        OutputPaths.requireNotInput("--out", dir, Map.of(source.dir(), "--model"));
        OutputPaths.requireFolder("--out", dir, force, "a lens output or run folder", LogitLens.LENS,
                RunLayout.CONFIG);
        var err = spec.commandLine().getErr();
        runtime.prepare(err);
        try (FolderLock lock = FolderLock.acquire(dir, "lens", err)) {
            LensRun.run(data, source, layer, options, allSteps, dir, runtime.device, runtime.placement.layersPerDevice,
                    runtime.dtype, runtime.memoryCheck(), spec.commandLine().getOut(), err);
        }
        return 0;
    }

    /**
     * The model a run's config.json names: its folder, or its Hugging Face id at the recorded snapshot
     * ({@code model_snapshot}), found here.
     */
    static dev.mipeaks.model.ModelSource runModel(Path run, String recorded) {
        com.fasterxml.jackson.databind.node.ObjectNode cfg = dev.mipeaks.pipeline.RunIdentity.read(run);
        String snapshot = cfg == null ? null : cfg.path("model_snapshot").asText(null);
        String ref = snapshot == null ? recorded : recorded + "@" + snapshot;
        try {
            return dev.mipeaks.model.ModelSource.resolve(ref);
        } catch (MipeaksException e) {
            throw MipeaksException.invalid(run.resolve("config.json") + ": field 'model' names " + ref + ", which is "
                    + "not a model folder or a Hugging Face id in the local cache here; give --model DIR|ORG/NAME ("
                    + e.getMessage() + ")");
        }
    }
}
