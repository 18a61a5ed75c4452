package dev.mipeaks.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * {@code --threads} (absent: all cores), a picocli mixin of every command whose CPU work it sizes (run, demo, peaks,
 * estimate and the model commands through {@link LibTorchOptions}). {@code grade} declares its own: its default is
 * one grading thread.
 */
class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all cores).")
    Integer threads;

    /** Checked (see {@link CliChecks#threads}); absent = one per core. */
    int resolve(PrintWriter err) {
        return CliChecks.threads(threads, err);
    }

    /** Checked; absent stays null (the library's own default, e.g. LibTorch's). */
    Integer resolveOrNull(PrintWriter err) {
        return CliChecks.threadsOrNull(threads, err);
    }
}
