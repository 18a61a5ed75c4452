package dev.mipeaks.cli;

import dev.mipeaks.analysis.AnalysisOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The peak options shared by peaks, report, compare, run, merge and demo (a picocli mixin). */
public final class AnalysisCliOptions {
    @Option(names = "--layer", paramLabel = "L",
            description = "Layer for thinking tokens, trajectories and histograms (default: the run's last layer).")
    Integer layer;

    @Mixin
    PeakRuleOptions peaks;

    @Option(names = "--trajectories", paramLabel = "N", defaultValue = "12",
            description = "Problems plotted in the trajectory grid (default: ${DEFAULT-VALUE}).")
    int trajectories;

    AnalysisOptions toOptions() {
        if (trajectories < 1) {
            throw dev.mipeaks.MipeaksException.invalid("--trajectories must be >= 1, got " + trajectories);
        }
        return peaks.toOptions(layer, trajectories);
    }
}
