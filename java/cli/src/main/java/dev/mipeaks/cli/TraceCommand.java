package dev.mipeaks.cli;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.OutputPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mipeaks trace}: generate from a Hugging Face model folder and write the residual stream of chosen layers
 * at every step to a safetensors trajectory. LibTorch and DJL are touched only inside {@link #call()} (through
 * dev.mipeaks.trace.TraceRun), so the other commands run without those jars.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Generate from a Llama/Qwen2 checkpoint and record hidden states per step.",
                "Writes token_ids I64[T] and hidden.{l} [T, H] (state after layer l at the position that predicted",
                "token t) to a safetensors file; prints the generated text and decoding speed."})
public final class TraceCommand extends CommandBase {

    @picocli.CommandLine.Mixin
    ModelSourceOption model;

    static final class PromptGroup {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt text (needs tokenizer.json).")
        String text;

        @Option(names = "--prompt-ids", paramLabel = "IDS", split = ",", converter = NonNegativeIntConverter.PromptIds.class,
                description = "Prompt token ids, e.g. 1,2,3.")
        List<Integer> ids;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    PromptGroup prompt;

    @Option(names = "--chat-template", description = "Wrap --prompt in the model's chat template (single user turn).")
    boolean chatTemplate;

    @Option(names = "--no-special-tokens",
            description = "Tokenize --prompt without the tokenizer's special tokens (e.g. no BOS).")
    boolean noSpecialTokens;

    @Option(names = "--layers", paramLabel = "all|last|L,L,...", defaultValue = "all",
            description = "Layers to record: all, last, or comma-separated indices as 'run --layers' takes them "
                    + "(default: ${DEFAULT-VALUE}).")
    String layers;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "256",
            description = "At most N generated tokens (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @picocli.CommandLine.Mixin
    SamplingOptions sampling;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when the output contains TEXT (repeatable).")
    List<String> stops = new ArrayList<>();

    @Option(names = "--state-dtype", paramLabel = "f32|bf16", defaultValue = "f32", converter = StateDtypeConverter.class,
            description = "Storage dtype of the recorded states (default: ${DEFAULT-VALUE}).")
    DType stateDtype;

    @picocli.CommandLine.Mixin
    ModelOptions runtime;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "Trajectory file to write.")
    Path out;

    @Override
    public Integer call() {
        int[] ids = prompt.ids == null ? null : NonNegativeIntConverter.array(prompt.ids, "--prompt-ids");
        if (maxNewTokens < 1) {
            throw MipeaksException.invalid("--max-new-tokens must be >= 1, got " + maxNewTokens);
        }
        var source = model.resolve();
        OutputPaths.requireFile("--out", out, modelFiles(source.dir()));
        runtime.prepare(err());
        int[] ls = dev.mipeaks.pipeline.MiRun.resolveLayers(layers, source.config().numLayers());
        var o = new dev.mipeaks.trace.TraceOptions(source, prompt.text, ids, chatTemplate, !noSpecialTokens, ls,
                maxNewTokens, sampling.temperature, sampling.topP, sampling.seed, stops, runtime.device,
                runtime.placement.layersPerDevice, runtime.placement.dtype, stateDtype, runtime.memoryCheck(), out);
        dev.mipeaks.trace.TraceRun.run(o, out(), err());
        return 0;
    }

    /** Every file of the model folder (weights, config, tokenizer, ...): inputs that --out must not replace. */
    static Map<Path, String> modelFiles(Path model) {
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(model, "--model");
        if (Files.isDirectory(model)) {
            try (Stream<Path> s = Files.list(model)) {
                s.filter(Files::isRegularFile).sorted().forEach(f -> files.put(f, "a file of --model"));
            } catch (IOException e) {
                throw MipeaksException.invalid(model + ": cannot list (" + e.getMessage() + ")");
            }
        }
        return files;
    }
}
