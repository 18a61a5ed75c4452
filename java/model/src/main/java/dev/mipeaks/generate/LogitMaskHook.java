package dev.mipeaks.generate;

import java.util.BitSet;

/** Suppression: the logits of the given ids are -inf at every step (they can never be generated). */
public final class LogitMaskHook implements StepHook {
    private final BitSet ids = new BitSet();

    public LogitMaskHook(int[] ids) {
        for (int id : ids) {
            if (id < 0) {
                throw new IllegalArgumentException("negative token id " + id);
            }
            this.ids.set(id);
        }
    }

    @Override
    public void mask(int row, int step, BitSet banned) {
        banned.or(ids);
    }
}
