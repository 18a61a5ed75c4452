package dev.mipeaks.cli;

import dev.mipeaks.model.ModelSource;
import dev.mipeaks.study.ModelSession;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of every command that runs a model on LibTorch (trace, suppress, lens, rr, ttts), declared once: device,
 * placement, compute dtype, threads, JavaCPP cache. {@link #request} turns them into a {@link ModelSession.Request};
 * {@code --model} stays with each command (required or not, described for it).
 */
public final class ModelOptions {
    @Option(names = "--device", paramLabel = OptionVocabulary.MODEL_DEVICE_LABEL,
            defaultValue = OptionVocabulary.DEVICE_DEFAULT, description = OptionVocabulary.MODEL_DEVICE_DESCRIPTION)
    String device;

    @Mixin
    ModelPlacementOptions placement;

    @Option(names = "--dtype", paramLabel = "f32|bf16|f16",
            description = "Compute dtype (default f32 on every device; bf16/f16 follow Hugging Face's mixed recipe). "
                    + "bf16 on the CPU keeps a bf16 checkpoint memory-mapped instead of converting it (half the "
                    + "memory).")
    String dtype;

    @Option(names = "--threads", paramLabel = "N", description = "LibTorch CPU threads (default: all cores).")
    Integer threads;

    @Option(names = "--javacpp-cache", paramLabel = "DIR",
            description = "Where JavaCPP extracts LibTorch (default: env MIPEAKS_JAVACPP_CACHE, else ~/.javacpp/cache).")
    Path javacppCache;

    boolean memoryCheck() {
        return placement.memoryCheck();
    }

    /** The session request for {@code model} (null: a model the command finds later, e.g. the run's). */
    ModelSession.Request request(ModelSource model) {
        return new ModelSession.Request(model, device, placement.layersPerDevice, dtype, memoryCheck());
    }

    /** Validates the options, then loads LibTorch with them. */
    void prepare(java.io.PrintWriter err) {
        threads = CliChecks.threadsOrNull(threads, err);
        TraceSupport.prepare(javacppCache, threads);
    }
}
