package dev.mipeaks.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of a command that runs a model on LibTorch: device, compute dtype, threads, JavaCPP cache. */
final class ModelRuntimeOptions {
    @Option(names = "--dtype", paramLabel = "f32|bf16|f16", description = "Compute dtype (default f32 on every device; bf16/f16 follow Hugging Face's mixed recipe).")
    String dtype;

    @Option(names = "--device", paramLabel = OptionVocabulary.MODEL_DEVICE_LABEL,
            defaultValue = OptionVocabulary.DEVICE_DEFAULT, description = OptionVocabulary.MODEL_DEVICE_DESCRIPTION)
    String device;

    @picocli.CommandLine.Mixin
    ModelPlacementOptions placement;

    @Option(names = "--threads", paramLabel = "N", description = "LibTorch CPU threads (default: all cores).")
    Integer threads;

    @Option(names = "--javacpp-cache", paramLabel = "DIR", description = "Where JavaCPP extracts LibTorch.")
    Path javacppCache;

    boolean memoryCheck() {
        return placement.memoryCheck();
    }

    /** Validates the options, then loads LibTorch with them. */
    void prepare(java.io.PrintWriter err) {
        threads = CliChecks.threadsOrNull(threads, err);
        TraceSupport.prepare(javacppCache, threads);
    }
}
