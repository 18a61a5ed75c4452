package dev.mipeaks.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The run folder a command writes (a picocli mixin of run, merge, rr and ttts): {@code --out} (required; no default)
 * and {@code --force}. Commands whose output has a default or is a file (demo, compare, suppress, trace, estimate,
 * grade) declare their own {@code --out}.
 */
final class OutputOptions {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder (runs/NAME).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out folder that holds no run of this command.")
    boolean force;
}
