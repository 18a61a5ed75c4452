package dev.mipeaks.cli;

import dev.mipeaks.MipeaksException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mipeaks rr}: Representation Recycling over a dataset (dev.mipeaks.scaling.RrRunner). LibTorch is touched
 * only inside {@link #call()}.
 */
@Command(name = "rr", mixinStandardHelpOptions = true,
        description = {"Representation Recycling: at steps whose candidate token is a trigger (a thinking token), apply",
                "layer --layer a second time to its own output with probability --probability; greedy decoding.",
                "Writes results.jsonl (one line per problem, resumable), metrics.json and report.md to --out.",
                "--probability 0 is the baseline: plain greedy decoding."})
public final class RrCommand extends CommandBase {

    @Mixin
    ScalingCliOptions common;

    @Option(names = "--layer", defaultValue = dev.mipeaks.scaling.RecycleLayer.PAPER_FRACTION, paramLabel = "L|mid|FRACTION",
            description = "Layer applied twice (extracted and injected at the same layer): a 0-based index, mid, or a "
                    + "fraction of the model's depth (default: ${DEFAULT-VALUE}, the paper's layer 23 of "
                    + "DeepSeek-R1-Distill-Llama-8B's 32 layers).")
    String layer;

    @Option(names = OptionVocabulary.THINKING_TOKENS, paramLabel = "FILE.jsonl",
            description = "Thinking-token table {\"word\",\"freq\",\"token_ids\"} (default: <data-dir>/"
                    + dev.mipeaks.scaling.ThinkingTable.DEFAULT_RELATIVE + ").")
    Path triggerTable;

    @Option(names = "--trigger-table", hidden = true, paramLabel = "FILE.jsonl",
            description = "Old name of --thinking-tokens.")
    Path triggerTableOldName;

    @Option(names = "--top-words", defaultValue = "10", paramLabel = "N",
            description = "Trigger words: the first N purely alphabetic words in the table's order, as RR_evaluate.py takes them "
                    + "(default: ${DEFAULT-VALUE}).")
    int topWords;

    @Option(names = "--trigger-ids", split = ",", paramLabel = "IDS", converter = NonNegativeIntConverter.TriggerIds.class,
            description = "Trigger token ids instead of a table, e.g. 1,2,3.")
    List<Integer> triggerIds;

    @Option(names = "--map-words",
            description = "Map the table's words to ids with the model's tokenizer even when the table's ids fit its "
                    + "vocabulary (by default they are mapped only when they do not).")
    boolean mapWords;

    @Option(names = "--probability", defaultValue = "0.5", paramLabel = "P",
            description = "Chance that a trigger step is recycled (default: ${DEFAULT-VALUE}).")
    double probability;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the recycling coin (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-new-tokens", defaultValue = "16000", paramLabel = "N",
            description = "At most N generated tokens per problem (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--baseline", paramLabel = "DIR",
            description = "A greedy baseline folder (rr with the same options and --probability 0): report.md and "
                    + "metrics.json then compare recycled against greedy on the problems both finished.")
    Path baseline;

    @Override
    public Integer call() throws Exception {
        Path triggerTable = OptionVocabulary.renamed(spec, OptionVocabulary.THINKING_TOKENS, this.triggerTable,
                "--trigger-table", triggerTableOldName);
        if (triggerIds != null && triggerTable != null) {
            throw MipeaksException.invalid("--trigger-ids and --thinking-tokens exclude each other");
        }
        if (topWords < 1) {
            throw MipeaksException.invalid("--top-words " + topWords + ": must be at least 1");
        }
        dev.mipeaks.scaling.RecycleLayer.checkForm(layer);
        var ctxOptions = common.prepare(err());
        try (var ctx = dev.mipeaks.scaling.ScalingContext.open(ctxOptions)) {
            int vocab = ctx.config().vocabSize();
            dev.mipeaks.scaling.TriggerSet triggers;
            if (triggerIds != null) {
                triggers = dev.mipeaks.scaling.TriggerSet.explicit(NonNegativeIntConverter.array(triggerIds, "--trigger-ids"), vocab);
            } else {
                Path table = triggerTable != null ? triggerTable : defaultTable(common.data.dataDir);
                triggers = dev.mipeaks.scaling.TriggerSet.fromTable(dev.mipeaks.scaling.ThinkingTable.read(table), topWords,
                        vocab, ctx.tokenizer(), mapWords);
            }
            int numLayers = ctx.config().numLayers();
            int recycled = dev.mipeaks.scaling.RecycleLayer.resolve(layer, numLayers);
            var o = new dev.mipeaks.scaling.RrRunner.Options(recycled, triggers, probability, seed, maxNewTokens);
            var err = err();
            err.println("rr: recycling layer " + recycled + " of " + numLayers + " (--layer " + layer + ")");
            err.println("rr: " + triggers.describe(ctx.tokenizer()));
            String warn = triggers.mappingWarning();
            if (warn != null && probability > 0) {
                err.println("mipeaks: warning: " + warn);
            }
            dev.mipeaks.scaling.RrRunner.run(ctx, common.output.out, o, common.info(spec), baseline,
                    dev.mipeaks.report.RrReport::write,
                    out(), err);
        }
        return 0;
    }

    static Path defaultTable(Path dataDir) {
        Path root = dataDir != null ? dataDir : dev.mipeaks.eval.DatasetLoader.defaultDataRoot();
        Path p = root.resolve(dev.mipeaks.scaling.ThinkingTable.DEFAULT_RELATIVE);
        if (!Files.isRegularFile(p)) {
            throw MipeaksException.invalid(p + ": no thinking-token table there; give --thinking-tokens or --trigger-ids");
        }
        return p;
    }
}
