package dev.mipeaks.model;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Preallocated keys and values of every layer, [B, numKvHeads, capacity, headDim] each, in the compute dtype, on
 * the layer's device.
 * Slot s of row b holds one entry: whatever the last forward call that wrote slot s stored there (so a recomputed
 * position replaces its entry instead of adding one). Keys are stored after RoPE.
 */
public final class KvCache implements AutoCloseable {
    private final Tensor[] keys;
    private final Tensor[] values;
    private final int batch;
    private final int capacity;
    private final int kvDim;
    private final int headDim;
    private final int kvHeads;

    KvCache(LlamaModel m, int batch, int capacity) {
        ModelConfig c = m.config();
        this.batch = batch;
        this.capacity = capacity;
        this.kvDim = c.kvDim();
        this.headDim = c.headDim();
        this.kvHeads = c.numKvHeads();
        keys = new Tensor[c.numLayers()];
        values = new Tensor[c.numLayers()];
        long[] shape = {batch, c.numKvHeads(), capacity, c.headDim()};
        try (PointerScope scope = new PointerScope()) {
            for (int l = 0; l < keys.length; l++) {
                // each layer's cache on its layer's device
                keys[l] = torch.zeros(shape, m.options(l, m.dtype()));
                values[l] = torch.zeros(shape, m.options(l, m.dtype()));
                keys[l].retainReference();
                values[l].retainReference();
            }
        }
    }

    Tensor keys(int layer) {
        return keys[layer];
    }

    Tensor values(int layer) {
        return values[layer];
    }

    public int batch() {
        return batch;
    }

    public int capacity() {
        return capacity;
    }

    /** Bytes held by the cache. */
    public long bytes() {
        return 2L * keys.length * keys[0].nbytes();
    }

    /** The stored key of (layer, row, slot) as float, heads concatenated: [numKvHeads * headDim]. */
    public float[] key(int layer, int row, int slot) {
        return entry(keys[layer], row, slot);
    }

    public float[] value(int layer, int row, int slot) {
        return entry(values[layer], row, slot);
    }

    private float[] entry(Tensor t, int row, int slot) {
        try (PointerScope scope = new PointerScope()) {
            float[] out = LlamaModel.toFloats(t.select(0, row).select(1, slot)); // [nkv, hd]
            assert out.length == kvDim : kvHeads + "x" + headDim;
            return out;
        }
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                keys[l].releaseReference();
                values[l].releaseReference();
                keys[l] = null;
                values[l] = null;
            }
        }
    }
}
