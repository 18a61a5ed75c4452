package dev.mipeaks.cli;

import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.Peaks;
import picocli.CommandLine.Option;

/** The peak options shared by peaks, report and compare (a picocli mixin). */
public final class AnalysisCliOptions {
    @Option(names = "--layer", paramLabel = "L",
            description = "Layer for thinking tokens, trajectories and histograms (default: the run's last layer).")
    Integer layer;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "" + Peaks.DEFAULT_TOP_K,
            description = "k of the top-k peak rule (default: ${DEFAULT-VALUE}, as the paper's code).")
    int topK;

    @Option(names = "--rule", paramLabel = "iqr|topk|both", defaultValue = "both",
            description = "Peak rule(s) reported: iqr (MI > Q3 + 1.5 IQR), topk, or both (default). "
                    + "Thinking tokens use top-k when it is computed, else iqr.")
    String rule;

    @Option(names = "--trajectories", paramLabel = "N", defaultValue = "12",
            description = "Problems plotted in the trajectory grid (default: ${DEFAULT-VALUE}).")
    int trajectories;

    @Option(names = "--include-special",
            description = "Keep special tokens (<|eos|>, BOS, chat markers) in the thinking-token table (default: left "
                    + "out and counted).")
    boolean includeSpecial;

    AnalysisOptions toOptions() {
        if (trajectories < 1) {
            throw dev.mipeaks.MipeaksException.invalid("--trajectories must be >= 1, got " + trajectories);
        }
        return new AnalysisOptions(topK, AnalysisOptions.parseRules(rule), layer, trajectories, includeSpecial);
    }
}
