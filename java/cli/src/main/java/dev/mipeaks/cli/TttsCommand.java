package dev.mipeaks.cli;

import dev.mipeaks.MipeaksException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mipeaks ttts}: thinking-token test-time scaling over a dataset (dev.mipeaks.scaling.TttsRunner). LibTorch
 * is touched only inside {@link #call()}.
 */
@Command(name = "ttts", mixinStandardHelpOptions = true,
        description = {"Thinking-token test-time scaling: (1) generate up to --base-budget tokens; (2) append \" \" + a",
                "thinking token and generate up to each --budget more; (3) append \" Final Answer within \\boxed{}:\"",
                "and generate 16 tokens, graded under both rule sets. The baseline continues phase 1 to the same total",
                "without a thinking token. Budgets reuse one phase-2 generation (greedy: exact). Writes results.jsonl",
                "(resumable), metrics.json, report.md and ttts_accuracy.png/.svg to --out."})
public final class TttsCommand extends CommandBase {

    @Mixin
    ScalingCliOptions common;

    static final class TokenGroup {
        @Option(names = "--thinking-token", paramLabel = "WORD", description = "One thinking token, e.g. Wait.")
        String token;

        @Option(names = "--thinking-tokens", paramLabel = "FILE.jsonl",
                description = "Sweep over the purely alphabetic words of a thinking-token table, in its order (as "
                        + "TTTS_evaluate.py; tables list the most frequent first).")
        Path table;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    TokenGroup tokens;

    @Option(names = "--top-words", paramLabel = "N",
            description = "With --thinking-tokens: only the first N alphabetic words (default: all).")
    Integer topWords;

    @Option(names = "--budget", split = ",", paramLabel = "N[,N...]", defaultValue = "1024,2048,3072,4096,6144,8192,12288",
            converter = NonNegativeIntConverter.Budgets.class, description = "Phase-2 token budgets (default: ${DEFAULT-VALUE}).")
    List<Integer> budgets;

    @Option(names = "--base-budget", paramLabel = "N", defaultValue = "4096",
            description = "Phase-1 token budget (default: ${DEFAULT-VALUE}, the paper's max_tokens_per_call).")
    int baseBudget;

    @Option(names = "--no-baseline", description = "Skip the baseline (no thinking token) continuation.")
    boolean noBaseline;

    @Option(names = "--context", paramLabel = "text|ids", defaultValue = "text", converter = TttsContextConverter.class,
            description = {"How phases are joined (default: ${DEFAULT-VALUE}). text = the reference's construction:",
                    "each phase's output as text, stripped, the next prompt f'{prompt} {output} {token}' (phase 3: + the",
                    "phase-2 output, no space, + the final prompt) re-tokenized whole, stopping on the reference's stop",
                    "strings. ids = ours: token ids joined, the exact prefix reused."})
    dev.mipeaks.scaling.TttsRunner.Context context;

    @Override
    public Integer call() throws Exception {
        List<String> words;
        String source;
        if (tokens.token != null) {
            if (tokens.token.isBlank()) {
                throw MipeaksException.invalid("--thinking-token: empty");
            }
            if (topWords != null) {
                throw MipeaksException.invalid("--top-words applies to --thinking-tokens FILE only");
            }
            words = List.of(tokens.token);
            source = "--thinking-token";
        } else {
            if (topWords != null && topWords < 1) {
                throw MipeaksException.invalid("--top-words " + topWords + ": must be at least 1");
            }
            var table = dev.mipeaks.scaling.ThinkingTable.read(tokens.table);
            words = table.topAlphabetic(topWords == null ? -1 : topWords).stream()
                    .map(dev.mipeaks.scaling.ThinkingTable.Entry::word).toList();
            if (words.isEmpty()) {
                throw MipeaksException.invalid(tokens.table + ": no purely alphabetic word to use as a thinking token");
            }
            source = tokens.table.toAbsolutePath().normalize().toString();
        }
        int[] b = NonNegativeIntConverter.array(budgets, "--budget");
        var o = new dev.mipeaks.scaling.TttsRunner.Options(words, source, b, baseBudget, !noBaseline,
                context);
        var ctxOptions = common.prepare(err());
        try (var ctx = dev.mipeaks.scaling.ScalingContext.open(ctxOptions)) {
            dev.mipeaks.scaling.TttsRunner.run(ctx, common.output.out, o, common.info(spec),
                    dev.mipeaks.report.TttsReport::write, out(), err());
        }
        return 0;
    }
}
