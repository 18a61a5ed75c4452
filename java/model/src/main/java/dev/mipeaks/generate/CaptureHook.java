package dev.mipeaks.generate;

import dev.mipeaks.io.TrajectoryWriter;

/**
 * Streams one row's {@code blocks.{l}.hook_resid_post} states and tokens to a {@link TrajectoryWriter}, step by
 * step (nothing accumulates in memory).
 */
public final class CaptureHook implements StepHook {
    private final TrajectoryWriter writer;
    private final int row;
    private final int[] layers;

    public CaptureHook(TrajectoryWriter writer, int row) {
        this.writer = writer;
        this.row = row;
        this.layers = writer.layers();
    }

    public CaptureHook(TrajectoryWriter writer) {
        this(writer, 0);
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    @Override
    public void onStep(Step s) {
        if (s.row() != row) {
            return;
        }
        float[][] states = new float[layers.length][];
        for (int i = 0; i < layers.length; i++) {
            states[i] = s.hidden(layers[i]);
        }
        writer.append(s.token(), states);
    }
}
