package dev.mipeaks.model;

import dev.mipeaks.MipeaksException;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Incremental decoding of a batch of sequences with a preallocated {@link KvCache}: one prefill of the
 * (left-padded) prompts, then one token per row per step. Every call runs in its own {@link PointerScope}, so
 * nothing native outlives a step except the cache; results come back as Java arrays.
 *
 * <p>Representation Recycling: after the normal forward of a step, a {@link Recycler} sees the logits and may ask
 * for layer l to be applied again on its own output at the step's (last) position. The recomputation starts from
 * the saved output of layer l, runs layer l on it and then layers l+1.. on the result, writing each layer's
 * keys/values into the SAME cache slot as the normal pass: the cache ends with one entry per position, the one of
 * the final computation (for layer l: keys/values of the second application, i.e. computed from layer l's own
 * output; its query attends to the earlier positions and to that new entry). Layers below l are not recomputed:
 * their input, and so their entries, would be identical. See {@code ReferenceModel} (test sources) for the same definition
 * without a cache.
 */
public final class DecodeSession implements AutoCloseable {

    /** Decides after the normal forward of a step whether to recycle: a layer index, or -1. */
    @FunctionalInterface
    public interface Recycler {
        int layer(float[][] logits);
    }

    /**
     * What one step produced, as Java arrays.
     *
     * @param logits        [B][V] float32 logits of the last position of each row (after recycling, if any)
     * @param hidden        [k][B][H] residual stream after each requested layer at the last position (final values)
     * @param recycledLayer the layer applied twice at this step, or -1
     * @param firstLogits   [B][V] logits of the normal pass (equal to logits when not recycled)
     */
    public record Output(float[][] logits, float[][][] hidden, int recycledLayer, float[][] firstLogits) {
    }

    /**
     * A teacher-forced pass over one sequence.
     *
     * @param hidden [L][T][H] residual stream after every layer at every position
     * @param logits [T][V]
     */
    public record TeacherForced(float[][][] hidden, float[][] logits) {
    }

    private final LlamaModel m;
    private final KvCache cache;
    private final int batch;
    private final int[] pads;
    private int next;

    /**
     * A session for {@code capacity} positions per row; more than the model's max_position_embeddings is refused
     * (exit 2 with both numbers): RoPE beyond the trained range gives no meaningful states.
     */
    public DecodeSession(LlamaModel m, int batch, int capacity) {
        int max = m.config().maxPositionEmbeddings();
        if (capacity > max) {
            throw MipeaksException.invalid(capacity + " positions (prompt + max new tokens) are more than the model's "
                    + "max_position_embeddings " + max + " (config.json)");
        }
        this.m = m;
        this.batch = batch;
        this.pads = new int[batch];
        this.cache = new KvCache(m, batch, capacity);
        m.ensureRope(capacity);
    }

    public KvCache cache() {
        return cache;
    }

    public int batch() {
        return batch;
    }

    /** Slots used so far (the same for every row; row b's first pads[b] slots are padding). */
    public int length() {
        return next;
    }

    public int capacity() {
        return cache.capacity();
    }

    /** Left padding of row b (slots that hold no token). */
    public int pad(int row) {
        return pads[row];
    }

    /** Runs the prompts (rows may differ in length: shorter ones are left-padded) and returns the first step. */
    public Output prefill(int[][] prompts, int[] captureLayers, Recycler recycler) {
        if (next != 0) {
            throw new IllegalStateException("prefill on a session that already holds " + next + " slots");
        }
        if (prompts.length != batch) {
            throw new IllegalArgumentException(prompts.length + " prompts for a batch of " + batch);
        }
        int t = 0;
        for (int[] p : prompts) {
            if (p.length == 0) {
                throw MipeaksException.invalid("empty prompt: at least one token id is needed");
            }
            t = Math.max(t, p.length);
        }
        long[] ids = new long[batch * t];
        for (int b = 0; b < batch; b++) {
            pads[b] = t - prompts[b].length;
            for (int i = 0; i < prompts[b].length; i++) {
                ids[b * t + pads[b] + i] = checkId(prompts[b][i]);
            }
        }
        return run(ids, t, captureLayers, recycler);
    }

    /** Appends one token per row and returns the step's output. */
    public Output decode(int[] tokens, int[] captureLayers, Recycler recycler) {
        if (tokens.length != batch) {
            throw new IllegalArgumentException(tokens.length + " tokens for a batch of " + batch);
        }
        long[] ids = new long[batch];
        for (int b = 0; b < batch; b++) {
            ids[b] = checkId(tokens[b]);
        }
        return run(ids, 1, captureLayers, recycler);
    }

    private long checkId(int id) {
        if (id < 0 || id >= m.config().vocabSize()) {
            throw MipeaksException.invalid("token id " + id + " outside the vocabulary [0, " + m.config().vocabSize() + ")");
        }
        return id;
    }

    private Output run(long[] ids, int t, int[] capture, Recycler recycler) {
        if (next + t > cache.capacity()) {
            throw new IllegalStateException("KV cache full: " + next + " + " + t + " > " + cache.capacity());
        }
        int layers = m.config().numLayers();
        try (PointerScope scope = new PointerScope()) {
            Positions at = Positions.of(m, next, t, pads);
            Tensor x = m.embed(m.longs(ids, batch, t));                          // [B,T,H]
            // each layer's output at the last position ([B,1,H]); for T>1 a copy, so the full [B,T,H] is freed
            Tensor[] last = new Tensor[layers];
            for (int l = 0; l < layers; l++) {
                x = m.layer(l, x, at, cache);
                last[l] = t == 1 ? x : x.narrow(1, t - 1, 1).clone();
            }
            float[][] first = rows(LlamaModel.toFloats(m.logitsLast(x, t)));
            float[][] logits = first;
            int recycled = recycler == null ? -1 : recycler.layer(first);
            if (recycled >= 0) {
                if (recycled >= layers) {
                    throw MipeaksException.invalid("recycle layer " + recycled + " outside [0, " + layers + ")");
                }
                if (batch != 1) {
                    throw new IllegalStateException("recycling needs a batch of one sequence");
                }
                Positions one = at.last(m, pads);
                Tensor y = last[recycled];
                for (int l = recycled; l < layers; l++) {
                    y = m.layer(l, y, one, cache);   // l == recycled: the second application, on its own output
                    last[l] = y;
                }
                logits = rows(LlamaModel.toFloats(m.logitsLast(y, 1)));
            }
            float[][][] hidden = captured(last, capture);
            next += t;
            return new Output(logits, hidden, recycled, first);
        }
    }

    /**
     * Teacher-forced forward of one sequence from an empty session: the residual stream after every layer at every
     * position [L][T][H] and the logits [T][V]. For checks against goldens and for ground-truth states.
     */
    public TeacherForced prefillAll(int[] ids) {
        if (next != 0 || batch != 1) {
            throw new IllegalStateException("prefillAll needs a fresh session of batch 1");
        }
        int t = ids.length;
        long[] li = new long[t];
        for (int i = 0; i < t; i++) {
            li[i] = checkId(ids[i]);
        }
        int layers = m.config().numLayers();
        try (PointerScope scope = new PointerScope()) {
            Positions at = Positions.of(m, 0, t, pads);
            Tensor x = m.embed(m.longs(li, 1, t));
            float[][][] hidden = new float[layers][][];
            for (int l = 0; l < layers; l++) {
                x = m.layer(l, x, at, cache);
                hidden[l] = split(LlamaModel.toFloats(x), t);
            }
            float[][] logits = split(LlamaModel.toFloats(m.logitsAll(x)), t);
            next = t;
            return new TeacherForced(hidden, logits);
        }
    }

    /**
     * The captured layers' states [k][B][H], copied to the host in ONE transfer (stacked on the device first): on a
     * GPU every copy to the host waits for the device, and k of them per step would be k waits.
     */
    private float[][][] captured(Tensor[] last, int[] capture) {
        float[][][] hidden = new float[capture.length][][];
        if (capture.length == 0) {
            return hidden;
        }
        Tensor all;
        if (capture.length == 1) {
            all = last[capture[0]];                                                  // [B,1,H]
        } else {
            // layers split over devices: the states gather on the first one's device, then one transfer
            Tensor[] states = new Tensor[capture.length];
            for (int i = 0; i < capture.length; i++) {
                states[i] = last[capture[i]];
            }
            org.bytedeco.pytorch.TensorVector v = new org.bytedeco.pytorch.TensorVector();
            for (Tensor st : LlamaModel.together(states)) {
                v.push_back(st);
            }
            all = org.bytedeco.pytorch.global.torch.stack(v);                       // [k,B,1,H]
        }
        float[] flat = LlamaModel.toFloats(all);                                     // [k*B*H]
        int h = flat.length / (capture.length * batch);
        for (int i = 0, at = 0; i < capture.length; i++) {
            hidden[i] = new float[batch][h];
            for (int b = 0; b < batch; b++, at += h) {
                System.arraycopy(flat, at, hidden[i][b], 0, h);                      // one copy per row
            }
        }
        return hidden;
    }

    private float[][] rows(float[] flat) {
        return split(flat, batch);
    }

    private static float[][] split(float[] flat, int n) {
        int w = flat.length / n;
        float[][] out = new float[n][w];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * w, out[i], 0, w);
        }
        return out;
    }

    @Override
    public void close() {
        cache.close();
    }
}
