package dev.mipeaks.cli;

import dev.mipeaks.MipeaksException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mipeaks suppress}: the thinking-token suppression experiment (accuracy when the top N thinking words can
 * never be generated, against N random words). LibTorch, DJL and the grader are touched only inside
 * {@link #call()} (through dev.mipeaks.suppress.SuppressionRun).
 */
@Command(name = "suppress", mixinStandardHelpOptions = true,
        description = {"Generate with the top N thinking words' token ids masked to -inf (every id of each word, with "
                + "and without a leading space), against N random word-like tokens, and grade.",
                "Writes per-problem results per (condition, N) (resumable), metrics.json, report.md and "
                        + "plots/accuracy_vs_n.png|svg into --out."})
public final class SuppressCommand extends CommandBase {

    @picocli.CommandLine.Mixin
    ModelSourceOption model;

    @picocli.CommandLine.Mixin
    DatasetOptions data;

    @Option(names = OptionVocabulary.THINKING_TOKENS, paramLabel = "TABLE|LIST",
            description = "Required. A thinking-token table (JSONL rows with word and freq, e.g. "
                    + "../shared/data/thinking-tokens/DeepSeek-R1-Distill-Llama-8B.jsonl: the top N by freq are "
                    + "masked) or comma-separated words.")
    String tokens;

    @Option(names = "--tokens", hidden = true, paramLabel = "TABLE|LIST", description = "Old name of --thinking-tokens.")
    String tokensOldName;

    @Option(names = OptionVocabulary.TOP_WORDS, paramLabel = "N1,N2,...", defaultValue = "0,5,10,20", split = ",",
            converter = NonNegativeIntConverter.TopWords.class,
            description = "Numbers of words to mask (default: ${DEFAULT-VALUE}); 0 = no mask.")
    List<Integer> count;

    @Option(names = "--count", hidden = true, paramLabel = "N1,N2,...", split = ",",
            converter = NonNegativeIntConverter.TopWords.class, description = "Old name of --top-words.")
    List<Integer> countOldName;

    @Option(names = "--control", paramLabel = "random", defaultValue = "random",
            description = "The control condition (default: ${DEFAULT-VALUE}: N word-like tokens drawn with --seed, "
                    + "excluding every id of every thinking word).")
    String control;

    @Option(names = "--prompt-template", paramLabel = "NAME", defaultValue = "deepseek-math",
            description = "Prompt template: " + dev.mipeaks.eval.Prompts.NAMES_HELP + " (default: ${DEFAULT-VALUE}).")
    String promptTemplate;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "1024",
            description = "At most N generated tokens per problem (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @picocli.CommandLine.Mixin
    ProblemRangeOptions range;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "1",
            description = "Problems generated together (default: ${DEFAULT-VALUE}).")
    int batch;

    @picocli.CommandLine.Mixin
    SamplingOptions sampling;

    @picocli.CommandLine.Mixin
    ModelOptions runtime;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (default: runs/suppress-MODEL-DATASET).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out folder that holds no suppression run.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        String tokens = OptionVocabulary.renamed(spec, OptionVocabulary.THINKING_TOKENS, this.tokens, "--tokens",
                tokensOldName);
        if (tokens == null) {
            throw MipeaksException.invalid("Missing required option: '" + OptionVocabulary.THINKING_TOKENS
                    + "=TABLE|LIST' (a thinking-token table or comma-separated words)");
        }
        List<Integer> counts = OptionVocabulary.renamed(spec, OptionVocabulary.TOP_WORDS, count, "--count",
                countOldName);
        if (maxNewTokens < 1) {
            throw MipeaksException.invalid("--max-new-tokens must be >= 1, got " + maxNewTokens);
        }
        var source = model.resolve();
        Path dir = out != null ? out : Path.of("runs", "suppress-" + source.shortName()
                + "-" + Path.of(data.dataset).getFileName().toString().replaceFirst("\\.(jsonl|json|csv)$", ""));
        int l = range.limit();
        dev.mipeaks.generate.GenerationConfig.sampling(maxNewTokens, sampling.temperature, sampling.topP, sampling.seed); // checks them
        dev.mipeaks.io.OutputPaths.requireNotInput("--out", dir, java.util.Map.of(source.dir(), "--model"));
        dev.mipeaks.io.OutputPaths.requireFolder("--out", dir, force, "a folder of mipeaks suppress",
                dev.mipeaks.suppress.SuppressionRun.CONFIG);
        runtime.prepare(err());
        var o = new dev.mipeaks.suppress.SuppressionRun.Options(source, data.dataset, data.dataDir, tokens, counts, control, sampling.seed,
                promptTemplate, maxNewTokens, l, range.offset, batch, sampling.temperature, sampling.topP, runtime.device,
                runtime.placement.layersPerDevice, runtime.placement.dtype, runtime.memoryCheck(), dir, force);
        var s = dev.mipeaks.suppress.SuppressionRun.run(o, dev.mipeaks.report.SuppressionReport::write,
                out(), err());
        var w = out();
        for (var a : s.arms()) {
            w.printf(Locale.ROOT, "%-8s N=%-3d accuracy %s%n", a.condition().name(), a.condition().n(),
                    dev.mipeaks.eval.Accuracy.format(a.correct(), a.total()));
        }
        w.printf(Locale.ROOT, "generated %d tokens in %.1f s: %.1f tokens/s with prefill, %.1f tokens/s decoding "
                + "(grading excluded)%n", s.generated(), s.generationNanos() / 1e9, s.tokensPerSecond(),
                s.decodeTokensPerSecond());
        w.println("wrote " + String.join(", ", s.files().stream().map(Path::toString).toList()));
        w.flush();
        return 0;
    }
}
