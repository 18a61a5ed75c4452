package dev.mipeaks.cli;

import picocli.CommandLine.Option;

/**
 * How tokens are drawn (a picocli mixin of run, trace and suppress): {@code --temperature} (default 0, greedy),
 * {@code --top-p} (default 1) and {@code --seed} (default 0; suppress also draws its random control with it). The
 * token budget stays with each command (its default differs), as do the seeds of rr (the recycling coin) and demo
 * (the random model).
 */
final class SamplingOptions {
    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0", description = "0 = greedy (default); > 0 samples.")
    double temperature;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of sampling and of the command's other random draws, e.g. suppress's random control "
                    + "(default: ${DEFAULT-VALUE}).")
    long seed;
}
