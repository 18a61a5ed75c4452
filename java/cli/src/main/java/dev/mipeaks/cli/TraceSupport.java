package dev.mipeaks.cli;

import java.nio.file.Path;

/**
 * Native set-up for the commands that run a model, kept out of the command classes so that picocli can inspect
 * them without loading LibTorch.
 */
final class TraceSupport {
    private TraceSupport() {
    }

    static void prepare(Path javacppCache, Integer threads) {
        dev.mipeaks.model.NativeRuntime.javacppCache(javacppCache);
        dev.mipeaks.model.NativeRuntime.loadTorch();
        if (threads != null) {
            dev.mipeaks.model.NativeRuntime.threads(threads);
        }
    }
}
