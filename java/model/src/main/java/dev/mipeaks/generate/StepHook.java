package dev.mipeaks.generate;

import java.util.BitSet;

/**
 * Observes and steers generation, one step at a time (hooks are named after TransformerLens:
 * {@code blocks.{l}.hook_resid_post} is the residual stream after decoder layer l). No LibTorch types here: hooks
 * see Java arrays. Row is the sequence's index in a batch (0 for a single prompt); step t is the t-th generated
 * token, predicted by the position P-1+t (the last prompt position for t = 0).
 */
public interface StepHook {

    /** Layers whose {@code hook_resid_post} this hook wants at every step (read once, before generation). */
    default int[] layers() {
        return new int[0];
    }

    /** Whether this hook may recycle (recycling needs a batch of one). */
    default boolean recycles() {
        return false;
    }

    /** Adds token ids whose logits are set to -inf before the step's token is chosen. */
    default void mask(int row, int step, BitSet banned) {
    }

    /**
     * After the normal forward of a step: the token that would be chosen. Return a layer to apply twice at this
     * position (Representation Recycling), or -1.
     */
    default int recycle(int row, int step, int candidate) {
        return -1;
    }

    /** The step's final token and the states of the requested layers (after recycling, if any). */
    default void onStep(Step step) {
    }

    /** A row has stopped. */
    default void onFinish(int row, GenerationResult result) {
    }

    /** What {@link #eachLayer} does with one layer's state at one step. */
    @FunctionalInterface
    interface LayerState {
        void accept(Step step, int layer, float[] hidden);
    }

    /** A hook that requests {@code layers} and hands every step's state of each of them, in that order, to {@code visit}. */
    static StepHook eachLayer(int[] layers, LayerState visit) {
        int[] requested = layers.clone();
        return new StepHook() {
            @Override
            public int[] layers() {
                return requested.clone();
            }

            @Override
            public void onStep(Step s) {
                for (int l : requested) {
                    visit.accept(s, l, s.hidden(l));
                }
            }
        };
    }

    /**
     * What one step of one row produced.
     *
     * @param layers         the layers captured (union over all hooks, ascending)
     * @param hidden         hidden[i] = state after layers[i] at the position that predicted this step's token
     * @param recycledLayer  the layer applied twice, or -1
     */
    record Step(int row, int step, int token, int recycledLayer, int[] layers, float[][] hidden) {
        /** The state after layer l; l must be one of the requested layers. */
        public float[] hidden(int layer) {
            for (int i = 0; i < layers.length; i++) {
                if (layers[i] == layer) {
                    return hidden[i];
                }
            }
            throw new IllegalArgumentException("layer " + layer + " was not captured");
        }
    }
}
