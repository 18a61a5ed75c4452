package dev.mipeaks.cli;

import dev.mipeaks.model.ModelSource;
import dev.mipeaks.study.ModelSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of every command that runs a model on LibTorch (trace, suppress, lens, rr, ttts), declared once: device,
 * placement and compute dtype ({@link ModelPlacementOptions}), threads and JavaCPP cache ({@link LibTorchOptions}).
 * {@link #request} turns them into a {@link ModelSession.Request}; {@code --model} is {@link ModelSourceOption}
 * (lens declares its own, optional one).
 */
public final class ModelOptions {
    @Option(names = "--device", paramLabel = OptionVocabulary.MODEL_DEVICE_LABEL,
            defaultValue = OptionVocabulary.DEVICE_DEFAULT, description = OptionVocabulary.MODEL_DEVICE_DESCRIPTION)
    String device;

    @Mixin
    ModelPlacementOptions placement;

    @Mixin
    LibTorchOptions libtorch;

    boolean memoryCheck() {
        return placement.memoryCheck();
    }

    /** The session request for {@code model} (null: a model the command finds later, e.g. the run's). */
    ModelSession.Request request(ModelSource model) {
        return new ModelSession.Request(model, device, placement.layersPerDevice, placement.dtype, memoryCheck());
    }

    /** Validates the options, then loads LibTorch with them. */
    void prepare(java.io.PrintWriter err) {
        libtorch.load(libtorch.cpu.resolveOrNull(err));
    }
}
