package dev.mipeaks.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How LibTorch is loaded (a picocli mixin of run, demo and, through {@link ModelOptions}, every other model command):
 * {@code --threads} and {@code --javacpp-cache}.
 */
final class LibTorchOptions {
    @Mixin
    ThreadsOption cpu;

    @Option(names = "--javacpp-cache", paramLabel = "DIR",
            description = "Where JavaCPP extracts LibTorch (default: env MIPEAKS_JAVACPP_CACHE, else ~/.javacpp/cache).")
    Path javacppCache;

    /** Loads LibTorch from the cache with {@code threads} CPU threads (null: LibTorch's default). */
    void load(Integer threads) {
        TraceSupport.prepare(javacppCache, threads);
    }
}
