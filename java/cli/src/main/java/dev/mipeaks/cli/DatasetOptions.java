package dev.mipeaks.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which dataset a command reads (a picocli mixin of run, suppress, rr, ttts and grade): {@code --dataset} (required)
 * and {@code --data-dir} (default: env MIPEAKS_DATA, else ../shared/data, as {@code DatasetLoader} resolves a null
 * root). The problems' range is {@link ProblemRangeOptions}.
 */
final class DatasetOptions {
    @Option(names = "--dataset", required = true, paramLabel = "NAME|PATH",
            description = "math500, aime24, gsm8k (under --data-dir) or a .jsonl/.csv file.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where named datasets live (default: $MIPEAKS_DATA, else ../shared/data).")
    Path dataDir;
}
