package dev.mipeaks.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;

/**
 * Where one forward call's tokens go: cache slots [slot0, slot0 + length) of a batch whose rows may be left-padded,
 * the RoPE tables for their positions (slot - pad of the row), and the attention mask; the tensors exist once per
 * device of the model ({@link LlamaModel#deviceIndex}), so that the layers of every device read them where they are.
 * Its tensors live in the PointerScope it was made in.
 *
 * @param cos  per device, [B|1, T, 1, hd] cos of each token's position
 * @param sin  per device, [B|1, T, 1, hd] signed sin
 * @param mask per device, empty (every query sees every key up to its slot) or bool [B|1, 1, T, S], true = attend
 */
record Positions(int batch, int slot0, int length, Tensor[] cos, Tensor[] sin, TensorOptional[] mask) {

    /** One past the last slot written: attention runs over slots [0, end). */
    int end() {
        return slot0 + length;
    }

    Tensor cos(int device) {
        return cos[device];
    }

    Tensor sin(int device) {
        return sin[device];
    }

    TensorOptional mask(int device) {
        return mask[device];
    }

    /**
     * Builds the positions of {@code length} tokens per row written at slots [slot0, slot0+length), with rows
     * padded on the left by {@code pads[b]} slots (pads hold no token: masked out, except that a padding query
     * attends to itself so its softmax stays finite).
     */
    static Positions of(LlamaModel m, int slot0, int length, int[] pads) {
        int b = pads.length;
        int d = m.config().headDim();
        int n = m.deviceCount();
        m.ensureRope(slot0 + length);
        boolean padded = false;
        for (int p : pads) {
            padded |= p > 0;
        }
        long[] pos = null;
        if (padded) {
            pos = new long[b * length];
            for (int r = 0; r < b; r++) {
                for (int t = 0; t < length; t++) {
                    pos[r * length + t] = Math.max(0, slot0 + t - pads[r]);
                }
            }
        }
        boolean[] allow = null;
        int s = slot0 + length;
        int rows = padded ? b : 1;
        if (length != 1 || padded) {
            allow = new boolean[rows * length * s];
            for (int r = 0; r < rows; r++) {
                int pad = padded ? pads[r] : 0;
                for (int t = 0; t < length; t++) {
                    int self = slot0 + t;
                    int o = (r * length + t) * s;
                    for (int k = 0; k <= self; k++) {
                        allow[o + k] = k >= pad || k == self;
                    }
                }
            }
        }
        Tensor[] cos = new Tensor[n];
        Tensor[] sin = new Tensor[n];
        TensorOptional[] mask = new TensorOptional[n];
        for (int i = 0; i < n; i++) {
            if (!padded) {
                cos[i] = m.ropeCos(i).narrow(0, slot0, length).reshape(1, length, 1, d);
                sin[i] = m.ropeSin(i).narrow(0, slot0, length).reshape(1, length, 1, d);
            } else {
                Tensor idx = m.longs(i, pos, (long) b * length);
                cos[i] = org.bytedeco.pytorch.global.torch.index_select(m.ropeCos(i), 0, idx).reshape(b, length, 1, d);
                sin[i] = org.bytedeco.pytorch.global.torch.index_select(m.ropeSin(i), 0, idx).reshape(b, length, 1, d);
            }
            mask[i] = allow == null ? new TensorOptional() : new TensorOptional(m.bools(i, allow, rows, 1, length, s));
        }
        return new Positions(b, slot0, length, cos, sin, mask);
    }

    /** The last token of this call alone (for recomputing it, as recycling does). */
    Positions last(LlamaModel m, int[] pads) {
        return length == 1 ? this : of(m, slot0 + length - 1, 1, pads);
    }
}
