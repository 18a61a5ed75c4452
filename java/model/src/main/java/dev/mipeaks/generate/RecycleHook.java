package dev.mipeaks.generate;

import java.util.BitSet;
import java.util.Random;

/**
 * Representation Recycling: when the step's candidate token is one of the trigger ids and a seeded coin with
 * probability p comes up, layer l is applied a second time, to its own output, at that position, and the step's
 * token is chosen from the resulting logits. The KV cache keeps one entry for the position (for layer l the
 * second application's keys/values); see {@link dev.mipeaks.model.DecodeSession}.
 */
public final class RecycleHook implements StepHook {
    private final int layer;
    private final BitSet triggers = new BitSet();
    private final double probability;
    private final Random coin;
    private int recycled;

    public RecycleHook(int layer, int[] triggerIds, double probability, long seed) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer " + layer);
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability " + probability + " outside [0, 1]");
        }
        this.layer = layer;
        for (int id : triggerIds) {
            triggers.set(id);
        }
        this.probability = probability;
        this.coin = new Random(seed);
    }

    @Override
    public boolean recycles() {
        return true;
    }

    @Override
    public int recycle(int row, int step, int candidate) {
        if (!triggers.get(candidate)) {
            return -1;
        }
        // the coin is flipped only for trigger candidates, so the draws do not depend on other tokens
        if (probability < 1 && coin.nextDouble() >= probability) {
            return -1;
        }
        recycled++;
        return layer;
    }

    /** Steps recycled so far. */
    public int recycledSteps() {
        return recycled;
    }
}
