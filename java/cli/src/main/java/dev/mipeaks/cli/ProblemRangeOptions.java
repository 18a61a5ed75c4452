package dev.mipeaks.cli;

import picocli.CommandLine.Option;

/**
 * Which problems of the dataset a command runs over (a picocli mixin of run, suppress, rr and ttts):
 * {@code --offset} (default 0 on every command) and {@code --limit} (default: all).
 */
final class ProblemRangeOptions {
    @Option(names = "--offset", paramLabel = "N", defaultValue = "0",
            description = "Skip the first N problems (default: ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--limit", paramLabel = "N", description = OptionVocabulary.LIMIT_DESCRIPTION)
    Integer limit;

    /** --limit checked, -1 when absent (all problems), as the loaders take it. */
    int limit() {
        return CliChecks.limit(limit);
    }
}
