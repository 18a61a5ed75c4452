package dev.mipeaks.cli;

import picocli.CommandLine.Option;

/**
 * How tokens are drawn (a picocli mixin of run, trace and suppress): {@code --temperature} (default 0, greedy) and
 * {@code --top-p} (default 1). The seed and the token budget stay with each command (their defaults and meanings
 * differ: suppress's seed also draws the random control).
 */
final class SamplingOptions {
    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0", description = "0 = greedy (default); > 0 samples.")
    double temperature;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;
}
