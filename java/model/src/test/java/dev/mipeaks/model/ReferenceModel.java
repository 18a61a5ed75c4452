package dev.mipeaks.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A slow, obviously-correct float64 forward pass of the Llama / Qwen2 decoder, in plain Java, with no cache: every
 * layer recomputes the keys and values of the whole sequence from that layer's inputs. It is the yardstick of the
 * LibTorch runtime (for tiny models only: weights are held as double[]).
 *
 * <p>It also defines Representation Recycling exactly ({@link CacheMode#REPLACE}): at a position p recycled at
 * layer l, layer l is applied a second time to its own output at p. The second application's query attends to the
 * keys of positions &lt; p and to its own new key at p; that second key/value replaces the first one at p, so every
 * later position (and layer l's cache) sees one entry for p, the second application's. This is what the reference's
 * RR_model.py does with its pinned transformers 4.46.1: its second forward pass starts from the tuple cache of
 * before the step (the tuple is not changed by the first pass), recomputes layers &lt; l identically, injects layer
 * l's first output as layer l's input, and its returned cache replaces the first pass's.
 * {@link CacheMode#IN_PLACE} models the same code under newer transformers, whose DynamicCache the first pass
 * extends in place: the second pass then adds a second entry for p at every layer, at RoPE position p + 1 (the cache
 * already holds p + 1 entries), attending to the first pass's entry too, and every later position's RoPE position
 * is shifted by one per recycled position before it.
 *
 * <p>{@link Precision#BF16_HF} turns it into an emulation of Hugging Face's bfloat16 forward: the same arithmetic,
 * with every value rounded to bf16 (round to nearest even) exactly where transformers' Llama/Qwen2 modules produce a
 * bf16 tensor: weights; each linear's output (bias added before the rounding, as addmm does); RMSNorm's float32
 * normalisation rounded to bf16, then the product with the weight; the RoPE tables (float32 angles and cos/sin,
 * then bf16) and each product and sum of {@code q*cos + rotate_half(q)*sin}; attention as the fused SDPA kernels do
 * it (scores and softmax statistics in float32, the unnormalised probabilities rounded to bf16 for the product with
 * V, the output divided by the float32 sum and rounded); SiLU, the gate*up product and each residual addition. Sums
 * inside a matrix product are exact here (float32 on a GPU): the two differ only where a float32 accumulation error
 * moves a value across a bf16 rounding boundary. It is the yardstick of the LibTorch bf16 path where transformers
 * cannot run.
 */
public final class ReferenceModel {
    /** The arithmetic of the reference: exact float64, or Hugging Face's bf16 forward emulated value by value. */
    public enum Precision { FLOAT64, BF16_HF }

    private final ModelConfig c;
    private final Map<String, double[]> w = new HashMap<>();
    private final Rope rope;
    private final boolean bf16;

    public ReferenceModel(ModelConfig config, Checkpoint ck) {
        this(config, ck, Precision.FLOAT64);
    }

    public ReferenceModel(ModelConfig config, Checkpoint ck, Precision precision) {
        this.c = config;
        this.bf16 = precision == Precision.BF16_HF;
        for (Checkpoint.Spec s : Checkpoint.specs(config)) {
            double[] v = ck.doubles(s.name());
            if (bf16) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = bf16(v[i]);
                }
            }
            w.put(s.name(), v);
        }
        this.rope = new Rope(config);
    }

    public static ReferenceModel load(Path dir) {
        return load(dir, Precision.FLOAT64);
    }

    public static ReferenceModel load(Path dir, Precision precision) {
        ModelConfig c = ModelConfig.load(dir);
        try (Checkpoint ck = Checkpoint.open(dir, c)) {
            return new ReferenceModel(c, ck, precision);
        }
    }

    /** v rounded to float32, then to bf16 (round to nearest even), as a tensor op producing bf16 does. */
    static double bf16(double v) {
        return Float.intBitsToFloat(dev.mipeaks.io.DType.bf16FromFloat((float) v) << 16);
    }

    /** The rounding of a value that a bf16 model stores: bf16 in the emulation, none in float64. */
    private double rnd(double v) {
        return bf16 ? bf16(v) : v;
    }

    /** A float32 intermediate in the emulation (exact in float64). */
    private double f32(double v) {
        return bf16 ? (float) v : v;
    }

    public ModelConfig config() {
        return c;
    }

    /**
     * Everything one forward pass produces.
     *
     * @param hidden  [L][T][H] residual stream after each layer (the final value at recycled positions)
     * @param logits  [T][V]
     * @param keys    [L][T][kvDim] post-RoPE keys each layer keeps for each position (the entry a cache holds)
     * @param values  [L][T][kvDim]
     */
    public record Result(double[][][] hidden, double[][] logits, double[][][] keys, double[][][] values) {
    }

    /** How a recycled position's second pass meets the KV cache (see the class comment). */
    public enum CacheMode {
        /** One entry per position: the second pass's replaces the first's (ours; the reference with tuple caches). */
        REPLACE,
        /** Both passes' entries at every layer, RoPE positions shifted (the reference's code with in-place caches). */
        IN_PLACE
    }

    public Result forward(int[] ids) {
        return forward(ids, Map.of(), CacheMode.REPLACE);
    }

    /**
     * @param recycle position -> layer applied twice at that position
     * @param mode    how the second pass meets the cache
     */
    public Result forward(int[] ids, Map<Integer, Integer> recycle, CacheMode mode) {
        int n = ids.length;
        int h = c.hiddenSize();
        int layers = c.numLayers();
        double[][] x = new double[n][];
        double[] emb = w.get("model.embed_tokens.weight");
        for (int t = 0; t < n; t++) {
            if (ids[t] < 0 || ids[t] >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + ids[t] + " at position " + t + " outside [0, "
                        + c.vocabSize() + ")");
            }
            x[t] = new double[h];
            System.arraycopy(emb, ids[t] * h, x[t], 0, h);
        }
        double[][][] hidden = new double[layers][][];
        double[][][] keys = new double[layers][n][];
        double[][][] values = new double[layers][n][];
        // IN_PLACE: the second pass's stream at each recycled position (it starts from the same embedding)
        Map<Integer, double[]> second = new HashMap<>();
        if (mode == CacheMode.IN_PLACE) {
            for (int t : recycle.keySet()) {
                second.put(t, x[t].clone());
            }
        }
        for (int l = 0; l < layers; l++) {
            x = mode == CacheMode.REPLACE ? layer(l, x, recycle, keys[l], values[l])
                    : layerInPlace(l, x, recycle, second, keys[l], values[l]);
            hidden[l] = x.clone();
            for (Map.Entry<Integer, double[]> e : second.entrySet()) {
                hidden[l][e.getKey()] = e.getValue(); // what the step outputs at a recycled position
            }
        }
        double[] norm = w.get("model.norm.weight");
        double[] head = w.get(c.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight");
        double[][] logits = new double[n][];
        for (int t = 0; t < n; t++) {
            logits[t] = matVec(head, c.vocabSize(), h, rmsNorm(hidden[layers - 1][t], norm), null);
        }
        return new Result(hidden, logits, keys, values);
    }

    /** One key/value entry of a layer's attention: the position it stands for, post-RoPE k, and v. */
    private record Entry(int pos, double[] k, double[] v) {
    }

    private double[][] layer(int l, double[][] x, Map<Integer, Integer> recycle, double[][] keysOut,
                             double[][] valuesOut) {
        int n = x.length;
        String p = "model.layers." + l + ".";
        // keys/values of every position from this layer's inputs
        List<Entry> entries = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            double[][] kv = keyValue(p, x[t], t);
            entries.add(new Entry(t, kv[0], kv[1]));
        }
        double[][] out = new double[n][];
        // ascending positions: when position t is processed, all entries of positions < t are final
        for (int t = 0; t < n; t++) {
            int idx = indexOf(entries, t);
            double[] y = block(p, x[t], t, entries.subList(0, idx + 1));
            Integer rl = recycle.get(t);
            if (rl != null && rl == l) {
                double[][] kv2 = keyValue(p, y, t);
                entries.set(idx, new Entry(t, kv2[0], kv2[1]));
                y = block(p, y, t, entries.subList(0, idx + 1));
            }
            out[t] = y;
        }
        for (int t = 0; t < n; t++) {
            Entry e = entries.get(lastIndexOf(entries, t));
            keysOut[t] = e.k;
            valuesOut[t] = e.v;
        }
        return out;
    }

    /**
     * One layer under {@link CacheMode#IN_PLACE}: positions in order, each recycled position followed by its second
     * pass (input: the second stream, or at the recycled layer the first pass's output of this layer), at RoPE
     * position + 1, whose entry is appended after the first pass's; RoPE positions shift by one per recycled position.
     */
    private double[][] layerInPlace(int l, double[][] x, Map<Integer, Integer> recycle, Map<Integer, double[]> second,
                                    double[][] keysOut, double[][] valuesOut) {
        int n = x.length;
        String p = "model.layers." + l + ".";
        List<Entry> entries = new ArrayList<>();
        double[][] out = new double[n][];
        int shift = 0;
        for (int t = 0; t < n; t++) {
            int pos = t + shift;
            double[][] kv = keyValue(p, x[t], pos);
            entries.add(new Entry(t, kv[0], kv[1]));
            double[] y = block(p, x[t], pos, entries);
            out[t] = y;
            Integer rl = recycle.get(t);
            if (rl != null) {
                double[] in2 = rl == l ? y : second.get(t);
                double[][] kv2 = keyValue(p, in2, pos + 1);
                entries.add(new Entry(t, kv2[0], kv2[1]));
                second.put(t, block(p, in2, pos + 1, entries));
                shift++;
            }
        }
        for (int t = 0; t < n; t++) {
            Entry e = entries.get(lastIndexOf(entries, t));
            keysOut[t] = e.k;
            valuesOut[t] = e.v;
        }
        return out;
    }

    private static int indexOf(List<Entry> entries, int pos) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).pos == pos) {
                return i;
            }
        }
        throw new IllegalStateException("no entry for position " + pos);
    }

    private static int lastIndexOf(List<Entry> entries, int pos) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).pos == pos) {
                return i;
            }
        }
        throw new IllegalStateException("no entry for position " + pos);
    }

    /** Post-RoPE key and value of one position's layer input. */
    private double[][] keyValue(String p, double[] xin, int pos) {
        double[] a = rmsNorm(xin, w.get(p + "input_layernorm.weight"));
        double[] k = matVec(w.get(p + "self_attn.k_proj.weight"), c.kvDim(), c.hiddenSize(), a,
                w.get(p + "self_attn.k_proj.bias"));
        double[] v = matVec(w.get(p + "self_attn.v_proj.weight"), c.kvDim(), c.hiddenSize(), a,
                w.get(p + "self_attn.v_proj.bias"));
        rotate(k, c.numKvHeads(), pos);
        return new double[][] {k, v};
    }

    /** The decoder block at one position: attention over {@code visible} entries, then the MLP; returns the residual. */
    private double[] block(String p, double[] xin, int pos, List<Entry> visible) {
        int h = c.hiddenSize();
        int hd = c.headDim();
        double[] a = rmsNorm(xin, w.get(p + "input_layernorm.weight"));
        double[] q = matVec(w.get(p + "self_attn.q_proj.weight"), c.qDim(), h, a, w.get(p + "self_attn.q_proj.bias"));
        rotate(q, c.numHeads(), pos);
        double[] att = new double[c.qDim()];
        double scale = 1.0 / Math.sqrt(hd);
        for (int head = 0; head < c.numHeads(); head++) {
            int kvh = head / c.groups();
            double[] s = new double[visible.size()];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < s.length; j++) {
                double[] k = visible.get(j).k;
                double dot = 0;
                for (int d = 0; d < hd; d++) {
                    dot += q[head * hd + d] * k[kvh * hd + d];
                }
                s[j] = dot * scale;
                max = Math.max(max, s[j]);
            }
            double sum = 0;
            for (int j = 0; j < s.length; j++) {
                s[j] = f32(Math.exp(s[j] - max));
                sum += s[j];
            }
            // float64: softmax(s) V. bf16 (fused SDPA): unnormalised probabilities in bf16 times V, then / sum
            for (int j = 0; j < s.length; j++) {
                double[] v = visible.get(j).v;
                double pj = bf16 ? rnd(s[j]) : s[j] / sum;
                for (int d = 0; d < hd; d++) {
                    att[head * hd + d] += pj * v[kvh * hd + d];
                }
            }
            if (bf16) {
                for (int d = 0; d < hd; d++) {
                    att[head * hd + d] = rnd(att[head * hd + d] / sum);
                }
            }
        }
        double[] o = matVec(w.get(p + "self_attn.o_proj.weight"), h, c.qDim(), att, w.get(p + "self_attn.o_proj.bias"));
        double[] r = new double[h];
        for (int i = 0; i < h; i++) {
            r[i] = rnd(xin[i] + o[i]);
        }
        double[] m = rmsNorm(r, w.get(p + "post_attention_layernorm.weight"));
        int inter = c.intermediateSize();
        double[] g = matVec(w.get(p + "mlp.gate_proj.weight"), inter, h, m, w.get(p + "mlp.gate_proj.bias"));
        double[] u = matVec(w.get(p + "mlp.up_proj.weight"), inter, h, m, w.get(p + "mlp.up_proj.bias"));
        for (int i = 0; i < inter; i++) {
            g[i] = rnd(rnd(g[i] / (1 + Math.exp(-g[i]))) * u[i]);                 // silu(gate) * up
        }
        double[] dn = matVec(w.get(p + "mlp.down_proj.weight"), h, inter, g, w.get(p + "mlp.down_proj.bias"));
        for (int i = 0; i < h; i++) {
            r[i] = rnd(r[i] + dn[i]);
        }
        return r;
    }

    /** Rotate-half RoPE on each head of {@code v} (heads x headDim), in place. */
    private void rotate(double[] v, int heads, int pos) {
        int hd = c.headDim();
        int half = hd / 2;
        for (int head = 0; head < heads; head++) {
            int o = head * hd;
            for (int i = 0; i < half; i++) {
                // bf16: the angle and cos/sin in float32 (Rope.tablesFloat32Angles), the tables rounded to bf16
                double a = bf16 ? (float) ((float) pos * (float) rope.invFreq(i)) : pos * rope.invFreq(i);
                double cs = rnd(f32(Math.cos(a)));
                double sn = rnd(f32(Math.sin(a)));
                double x1 = v[o + i];
                double x2 = v[o + i + half];
                v[o + i] = rnd(rnd(x1 * cs) + rnd(-x2 * sn));
                v[o + i + half] = rnd(rnd(x2 * cs) + rnd(x1 * sn));
            }
        }
    }

    private double[] rmsNorm(double[] x, double[] weight) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double inv = f32(1.0 / Math.sqrt(f32(f32(ss / x.length) + f32(c.rmsNormEps()))));
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            // bf16: float32 x * rsqrt, rounded to bf16, times the bf16 weight, rounded again (LlamaRMSNorm)
            out[i] = rnd(weight[i] * rnd(f32(x[i] * inv)));
        }
        return out;
    }

    /** W[rows, cols] x + b (rounded once to bf16 in the emulation). */
    private double[] matVec(double[] wt, int rows, int cols, double[] x, double[] b) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = b == null ? 0 : b[r];
            int o = r * cols;
            for (int k = 0; k < cols; k++) {
                s += wt[o + k] * x[k];
            }
            out[r] = rnd(s);
        }
        return out;
    }
}
