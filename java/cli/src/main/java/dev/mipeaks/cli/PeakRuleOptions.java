package dev.mipeaks.cli;

import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.Peaks;
import picocli.CommandLine.Option;

/**
 * Which peaks count and which tokens the tables keep (a picocli mixin of {@link AnalysisCliOptions} and lens):
 * {@code --top-k}, {@code --rule} and {@code --include-special}.
 */
final class PeakRuleOptions {
    @Option(names = "--top-k", paramLabel = "K", defaultValue = "" + Peaks.DEFAULT_TOP_K,
            description = "k of the top-k peak rule (default: ${DEFAULT-VALUE}, as the paper's code).")
    int topK;

    @Option(names = "--rule", paramLabel = "iqr|topk|both", defaultValue = "both",
            description = "Peak rule(s) reported: iqr (MI > Q3 + 1.5 IQR), topk, or both (default). "
                    + "Token tables (thinking tokens, lens tokens) use top-k when it is computed, else iqr.")
    String rule;

    @Option(names = "--include-special",
            description = "Keep special tokens (<|eos|>, BOS, chat markers) in the token tables (default: left "
                    + "out; the thinking-token table says how many).")
    boolean includeSpecial;

    /** The analysis options with these peak rules, for {@code layer} (null: the run's last) and the trajectories. */
    AnalysisOptions toOptions(Integer layer, int trajectories) {
        return new AnalysisOptions(topK, AnalysisOptions.parseRules(rule), layer, trajectories, includeSpecial);
    }
}
