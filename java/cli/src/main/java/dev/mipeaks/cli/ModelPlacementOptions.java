package dev.mipeaks.cli;

import picocli.CommandLine.Option;

/**
 * Where a model's layers go, in which compute dtype, and whether the memory plan may stop a run: the options every
 * command that loads a model shares (trace, run, rr, ttts, suppress, lens), declared once.
 */
public final class ModelPlacementOptions {
    @Option(names = "--layers-per-device", paramLabel = "N,N,...",
            description = "With a --device list: contiguous layers per device, e.g. 40,40 (default: as even as "
                    + "possible). The embedding goes with the first device, the final norm and head with the last.")
    String layersPerDevice;

    @Option(names = "--no-memory-check",
            description = "Load even when the memory plan printed before loading does not fit.")
    boolean noMemoryCheck;

    @Option(names = "--dtype", paramLabel = "f32|bf16|f16",
            description = "Compute dtype (default f32 on every device; bf16/f16 follow Hugging Face's mixed recipe). "
                    + "bf16 on the CPU keeps a bf16 checkpoint memory-mapped instead of converting it (half the "
                    + "memory).")
    String dtype;

    /** Whether the memory plan refuses a run that does not fit. */
    boolean memoryCheck() {
        return !noMemoryCheck;
    }
}
