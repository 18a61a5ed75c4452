package dev.mipeaks.model;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The Llama / Qwen2 decoder on LibTorch (Qwen2 is Llama with q/k/v biases).
 *
 * <p>Weights stay where the checkpoint is memory-mapped whenever the compute dtype equals the stored dtype on the
 * CPU: the tensor wraps the mapping's address ({@code from_blob}), no copy. Otherwise each tensor is converted once
 * (a BF16 checkpoint computed in float32 on the CPU takes twice its file size; use {@code --dtype bf16} to keep the
 * mapping).
 *
 * <p>Layers over several devices ({@link Placement}): contiguous blocks of layers live on their block's device, the
 * embedding with the first block and the final norm and head with the last (a tied head split from its embedding is
 * copied there); {@link #layer} moves the residual stream to its layer's device when it arrives from another, each
 * layer's KV cache is allocated on its device ({@link KvCache}) and the RoPE tables and masks exist once per device
 * ({@link Positions}). Nothing else changes: a split over {@code cpu,cpu} computes exactly what the unsplit model
 * computes.
 *
 * <p>Native memory: weights and the RoPE tables belong to this object until {@link #close()}; everything a forward
 * pass creates lives in the caller's {@link PointerScope}, and each decoder layer runs in its own scope so a long
 * prefill frees a layer's intermediates before the next one. Call from one thread at a time.
 */
public final class LlamaModel implements AutoCloseable {

    /**
     * Where and in which precision the model computes.
     *
     * @param device    cpu, cuda or cuda:N (every layer there), unless {@code placement} is given
     * @param placement the layers' devices (null: all on {@code device})
     */
    public record Options(String device, String dtype, Placement placement) {
        public Options(String device, String dtype) {
            this(device, dtype, null);
        }

        public static Options defaults() {
            return new Options("cpu", null);
        }

        /** The layers placed as {@code p} says (one block: one device). */
        public static Options of(Placement p, String dtype) {
            return new Options(p.first().device(), dtype, p);
        }
    }

    /** One device the model uses: its LibTorch device and the RoPE tables there. */
    private static final class OnDevice {
        final String name;
        final Device device;
        final boolean cuda;
        /** CUDA index, -1 on the CPU. */
        final int index;
        Tensor ropeCos;
        Tensor ropeSin;
        int ropeLength;
        long weightBytes;

        OnDevice(String name) {
            this.name = name;
            this.cuda = Placement.isCuda(name);
            this.index = Placement.cudaIndex(name);
            // "cuda" is the current device (0 unless set): explicit, so a tensor's device can be compared with it
            this.device = new Device(cuda ? "cuda:" + index : "cpu");
        }
    }

    /** One decoder layer's weights; q/k/v and gate/up are {@link Stacked} projections. */
    private record Layer(TensorOptional inNorm, Stacked qkv, Tensor wo, TensorOptional bo, TensorOptional postNorm,
                         Stacked gateUp, Tensor wDown, TensorOptional bDown) {
    }

    /**
     * Projections that read the same input, computed as one: x [W1; W2; ...]^T + [b1; b2; ...], outputs side by side.
     * Where the weights are copied anyway (to a GPU, or converted to the compute dtype) they are stacked into one
     * matrix, so a step launches one product instead of two or three. Where they are used in place from the mapped
     * checkpoint (CPU, same dtype) stacking would copy them: the parts stay apart and their outputs are concatenated.
     */
    private record Stacked(Tensor[] weights, TensorOptional[] biases) {
    }

    private final ModelConfig config;
    private final Path dir;
    private final Placement placement;
    /** The device of each block, in order: devices[0] holds the embedding, the last one the norm and head. */
    private final OnDevice[] devices;
    private final int[] deviceOfLayer;
    private final OnDevice first;
    private final OnDevice last;
    private final boolean cuda;
    /** The device the constructor is loading weights onto. */
    private OnDevice loadingOn;
    private final ScalarType dtype;
    /** bf16/f16: RMSNorm statistics in float32 and the RoPE angles from float32 arithmetic, as Hugging Face does. */
    private final boolean lowPrecision;
    private final String dtypeName;
    private final long weightBytes;
    private long mappedBytes;
    private final List<Pointer> owned = new ArrayList<>();
    /** Keeps the mappings alive that zero-copy tensors point into. */
    private final List<ByteBuffer> mappings = new ArrayList<>();
    private final Tensor embed;
    private final TensorOptional norm;
    private final DoubleOptional defaultScale;
    private final Tensor head;
    private final Layer[] layers;
    private final TensorOptional none;
    private final DoubleOptional eps;
    private final long[] hiddenShape;
    private final Rope rope;
    private boolean closed;

    /**
     * Checks a model device ({@code cpu}, {@code cuda}, {@code cuda:N}) before anything is loaded or written:
     * whether it is CUDA; exit 2 for another value, exit 3 when LibTorch sees no CUDA device.
     */
    public static boolean checkDevice(String option, String dev) {
        if (dev.equals("cpu")) {
            return false;
        }
        if (dev.equals("cuda") || dev.matches("cuda:\\d+")) {
            if (!torch.cuda_is_available()) {
                throw new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, option + " " + dev + ": LibTorch sees no CUDA "
                        + "device (build with -Pcuda for the CUDA natives, and check the driver)");
            }
            return true;
        }
        throw MipeaksException.invalid(option + " " + dev + ": expected cpu, cuda or cuda:N");
    }

    /**
     * {@link #checkDevice} for every device of a {@code --device} value: cpu, cuda[:N] or a comma list of them
     * ({@code auto} is chosen later and needs no check); also exit 3 for a CUDA index LibTorch does not see.
     */
    public static void checkDevices(String option, String devices) {
        if (devices == null || devices.trim().equalsIgnoreCase("auto")) {
            return;
        }
        Placement.devices(option, devices); // the list's form
        for (String part : devices.split(",")) {
            String d = part.trim().toLowerCase(java.util.Locale.ROOT);
            if (checkDevice(option, d) && Placement.cudaIndex(d) >= torch.cuda_device_count()) {
                throw new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, option + " " + d + ": LibTorch sees "
                        + torch.cuda_device_count() + " CUDA device(s)");
            }
        }
    }

    private LlamaModel(ModelConfig config, Path dir, Checkpoint ck, Options opt) {
        this.config = config;
        this.dir = dir;
        Placement pl = opt.placement();
        if (pl == null) {
            String dev = opt.device() == null ? "cpu" : opt.device().trim().toLowerCase(java.util.Locale.ROOT);
            checkDevice("--device", dev);
            pl = Placement.single(dev, config.numLayers());
        } else if (pl.numLayers() != config.numLayers()) {
            throw MipeaksException.invalid("--device " + pl.label() + ": places " + pl.numLayers()
                    + " layers, the model has " + config.numLayers());
        }
        this.placement = pl;
        // one OnDevice per block (two blocks on one device get their own RoPE tables and masks: a few KB, and the
        // per-device paths run even on a single device)
        List<OnDevice> ds = new ArrayList<>();
        this.deviceOfLayer = new int[config.numLayers()];
        for (Placement.Block b : pl.blocks()) {
            checkDevices("--device", b.device());
            OnDevice d = new OnDevice(Placement.isCuda(b.device()) ? "cuda:" + Placement.cudaIndex(b.device())
                    : b.device());
            own(d.device);
            ds.add(d);
            for (int l = b.from(); l < b.to(); l++) {
                deviceOfLayer[l] = ds.size() - 1;
            }
        }
        this.devices = ds.toArray(new OnDevice[0]);
        this.first = devices[deviceOfLayer[0]];
        this.last = devices[deviceOfLayer[config.numLayers() - 1]];
        boolean anyCuda = false;
        for (OnDevice d : devices) {
            anyCuda |= d.cuda;
        }
        this.cuda = anyCuda;
        ComputeDtype dt = ComputeDtype.parse(opt.dtype());
        this.dtype = switch (dt) {
            case F32 -> ScalarType.Float;
            case BF16 -> ScalarType.BFloat16;
            case F16 -> ScalarType.Half;
        };
        this.lowPrecision = dt != ComputeDtype.F32;
        this.dtypeName = dt.cliName();
        this.none = own(new TensorOptional());
        this.eps = own(new DoubleOptional(config.rmsNormEps()));
        this.defaultScale = own(new DoubleOptional());
        this.hiddenShape = new long[] {config.hiddenSize()};
        this.rope = new Rope(config);
        long bytes = 0;
        loadingOn = first;
        embed = weight(ck, "model.embed_tokens.weight");
        layers = new Layer[config.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            loadingOn = devices[deviceOfLayer[l]];
            String p = "model.layers." + l + ".";
            String a = p + "self_attn.";
            String f = p + "mlp.";
            layers[l] = new Layer(
                    own(new TensorOptional(weight(ck, p + "input_layernorm.weight"))),
                    stacked(ck, config.qkvBias(), a + "q_proj", a + "k_proj", a + "v_proj"),
                    weight(ck, a + "o_proj.weight"), bias(ck, a + "o_proj.bias", config.oBias()),
                    own(new TensorOptional(weight(ck, p + "post_attention_layernorm.weight"))),
                    stacked(ck, config.mlpBias(), f + "gate_proj", f + "up_proj"),
                    weight(ck, f + "down_proj.weight"), bias(ck, f + "down_proj.bias", config.mlpBias()));
        }
        loadingOn = last;
        norm = own(new TensorOptional(weight(ck, "model.norm.weight")));
        if (!config.tieWordEmbeddings()) {
            head = weight(ck, "lm_head.weight");
        } else if (last.name.equals(first.name)) {
            head = embed;
        } else {
            // the tied head lives with the last block: a copy of the embedding there
            try (PointerScope scope = new PointerScope()) {
                Tensor h = embed.to(last.device, dtype, false, true, null);
                h.retainReference();
                owned.add(h);
                last.weightBytes += h.nbytes();
                head = h;
            }
        }
        loadingOn = null;
        for (Checkpoint.Spec s : Checkpoint.specs(config)) {
            bytes += ck.info(s.name()).numel() * elementBytes(dtype);
        }
        this.weightBytes = bytes;
    }

    /** Loads {@code dir} (config.json + safetensors weights) onto the device in the compute dtype. */
    public static LlamaModel load(Path dir, Options opt) {
        NativeRuntime.loadTorch();
        ModelConfig c = ModelConfig.load(dir);
        try (Checkpoint ck = Checkpoint.open(dir, c)) {
            return new LlamaModel(c, dir, ck, opt);
        }
    }

    private <P extends Pointer> P own(P p) {
        owned.add(p);
        return p;
    }

    private static int elementBytes(ScalarType t) {
        return t == ScalarType.Float ? 4 : 2;
    }

    /** A weight as a tensor: the mapping itself when dtype and device allow, else a converted copy. */
    private Tensor weight(Checkpoint ck, String name) {
        return weight(ck, name, true);
    }

    /** @param mayMap whether the tensor may wrap the mapping in place (false: a copy the caller can release) */
    private Tensor weight(Checkpoint ck, String name, boolean mayMap) {
        TensorInfo info = ck.info(name);
        ByteBuffer buf = ck.data(name);
        ScalarType src = switch (info.dtype()) {
            case F32 -> ScalarType.Float;
            case BF16 -> ScalarType.BFloat16;
            case F16 -> ScalarType.Half;
            default -> throw MipeaksException.invalid(ck.fileOf(name) + ": tensor '" + name + "' has dtype "
                    + info.dtype());
        };
        long[] shape = info.shape();
        try (PointerScope scope = new PointerScope()) {
            Pointer addr = new Pointer(buf);
            boolean aligned = addr.address() % info.dtype().bytes() == 0;
            Tensor raw;
            if (aligned) {
                raw = torch.from_blob(addr, shape, new TensorOptions(src));
            } else {
                // safetensors does not promise alignment: copy the odd tensor once
                raw = torch.empty(shape, new TensorOptions(src), null);
                Pointer.memcpy(raw.data_ptr(), addr, info.byteSize());
            }
            Tensor t;
            if (!loadingOn.cuda && src == dtype && mayMap) {
                t = raw;
                if (aligned) {
                    mappings.add(buf);
                    mappedBytes += info.byteSize();
                }
            } else {
                t = raw.to(loadingOn.device, dtype, false, true, null);
            }
            t.retainReference();
            owned.add(t);
            loadingOn.weightBytes += t.nbytes();
            return t;
        }
    }

    /** The projections {@code prefixes} (each with .weight, and .bias when {@code biased}) as one {@link Stacked}. */
    private Stacked stacked(Checkpoint ck, boolean biased, String... prefixes) {
        boolean inPlace = true;
        for (String pre : prefixes) {
            inPlace &= mapsInPlace(ck, pre + ".weight");
        }
        if (inPlace) {
            Tensor[] w = new Tensor[prefixes.length];
            TensorOptional[] b = new TensorOptional[prefixes.length];
            for (int i = 0; i < prefixes.length; i++) {
                w[i] = weight(ck, prefixes[i] + ".weight");
                b[i] = bias(ck, prefixes[i] + ".bias", biased);
            }
            return new Stacked(w, b);
        }
        Tensor w = concatenated(ck, ".weight", prefixes);
        TensorOptional b = biased ? own(new TensorOptional(concatenated(ck, ".bias", prefixes))) : none;
        return new Stacked(new Tensor[] {w}, new TensorOptional[] {b});
    }

    /** Whether {@link #weight} would wrap this tensor in place: CPU, stored in the compute dtype. */
    private boolean mapsInPlace(Checkpoint ck, String name) {
        return !loadingOn.cuda && switch (ck.info(name).dtype()) {
            case F32 -> dtype == ScalarType.Float;
            case BF16 -> dtype == ScalarType.BFloat16;
            case F16 -> dtype == ScalarType.Half;
            default -> false;
        };
    }

    /**
     * The tensors {@code prefix + suffix} stacked along their first dimension, in the compute dtype on the device.
     * Each part is converted once and released after the copy.
     */
    private Tensor concatenated(Checkpoint ck, String suffix, String... prefixes) {
        try (PointerScope scope = new PointerScope()) {
            org.bytedeco.pytorch.TensorVector parts = new org.bytedeco.pytorch.TensorVector();
            List<Tensor> loaded = new ArrayList<>();
            for (String pre : prefixes) {
                Tensor part = weight(ck, pre + suffix, false);
                loaded.add(part);
                parts.push_back(part);
            }
            Tensor t = torch.cat(parts, 0);
            t.retainReference();
            owned.add(t);
            loadingOn.weightBytes += t.nbytes();
            for (Tensor part : loaded) {
                owned.remove(part);
                loadingOn.weightBytes -= part.nbytes();
                part.releaseReference();
            }
            return t;
        }
    }

    private TensorOptional bias(Checkpoint ck, String name, boolean present) {
        if (!present) {
            return none;
        }
        return own(new TensorOptional(weight(ck, name)));
    }

    public ModelConfig config() {
        return config;
    }

    public Path dir() {
        return dir;
    }

    /** Whether any layer computes on a CUDA device. */
    public boolean isCuda() {
        return cuda;
    }

    /** Where the layers are. */
    public Placement placement() {
        return placement;
    }

    /**
     * Bytes of weight tensors on each device (cpu, cuda:N), as loaded: what the memory plan's weights per device
     * promise (mapped CPU weights included).
     */
    public java.util.Map<String, Long> weightBytesByDevice() {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (OnDevice d : devices) {
            m.merge(d.name, d.weightBytes, Long::sum);
        }
        return m;
    }

    /** Where the compute happens, for messages and metadata: {@code cpu f32}, {@code cuda:0[0-15],cuda:1[16-31] bf16}. */
    public String describeCompute() {
        return (placement.isSplit() ? placement.label() : first.name) + " " + dtypeName;
    }

    public String dtypeName() {
        return dtypeName;
    }

    ScalarType dtype() {
        return dtype;
    }

    /** The number of blocks (each with its device); {@link #deviceIndex} of a layer indexes them. */
    int deviceCount() {
        return devices.length;
    }

    int deviceIndex(int layer) {
        return deviceOfLayer[layer];
    }

    /** Bytes of weights used in place from the memory-mapped checkpoint (not copied). */
    public long mappedBytes() {
        return mappedBytes;
    }

    /** Bytes of the weights in the compute dtype (what a decode step streams from memory). */
    public long weightBytes() {
        return weightBytes;
    }

    /** Tensor options of dtype {@code t} on the device of {@code layer}. */
    TensorOptions options(int layer, ScalarType t) {
        return new TensorOptions(t).device(new DeviceOptional(devices[deviceOfLayer[layer]].device));
    }

    /** cos and signed sin tables [n, headDim] on every device, grown to at least {@code n} positions. */
    synchronized void ensureRope(int n) {
        for (OnDevice d : devices) {
            ensureRope(d, n);
        }
    }

    private void ensureRope(OnDevice dev, int n) {
        int ropeLength = dev.ropeLength;
        if (n <= ropeLength) {
            return;
        }
        int len = Math.max(n, Math.min(2 * ropeLength, config.maxPositionEmbeddings()));
        float[][] t = lowPrecision ? rope.tablesFloat32Angles(len) : rope.tables(len);
        float[] cos = t[0];
        float[] sin = t[1];
        int d = config.headDim();
        int half = d / 2;
        // signed sin: rotate_half(x) * sin == roll(x, d/2) * [-sin, +sin]
        for (int p = 0; p < len; p++) {
            for (int i = 0; i < half; i++) {
                sin[p * d + i] = -sin[p * d + i];
            }
        }
        Tensor oldCos = dev.ropeCos;
        Tensor oldSin = dev.ropeSin;
        try (PointerScope scope = new PointerScope()) {
            dev.ropeCos = org.bytedeco.pytorch.AbstractTensor.create(cos, len, d).to(dev.device, dtype, false, true, null);
            dev.ropeSin = org.bytedeco.pytorch.AbstractTensor.create(sin, len, d).to(dev.device, dtype, false, true, null);
            dev.ropeCos.retainReference();
            dev.ropeSin.retainReference();
        }
        if (oldCos != null) {
            oldCos.releaseReference();
            oldSin.releaseReference();
        }
        dev.ropeLength = len;
    }

    /** The cos table on device {@code i} (see {@link #deviceIndex}). */
    Tensor ropeCos(int i) {
        return devices[i].ropeCos;
    }

    Tensor ropeSin(int i) {
        return devices[i].ropeSin;
    }

    /** Token embeddings [B, T, H] of ids [B, T] (a long tensor on the first device). */
    Tensor embed(Tensor ids) {
        return torch.embedding(embed, ids);
    }

    /** {@code x} on device {@code d}: itself when it is there, else a copy (the residual stream crossing a boundary). */
    private static Tensor onDevice(OnDevice d, Tensor x) {
        boolean xc = x.is_cuda();
        if (xc == d.cuda && (!xc || x.device().index() == d.index)) {
            return x;
        }
        return x.to(d.device, x.scalar_type(), false, false, null);
    }

    /**
     * Decoder layer {@code l} on x [B, T, H] at the positions of {@code at}: writes this call's keys/values into the
     * cache slots of {@code at} (overwriting whatever was there) and returns the residual stream after the layer.
     * The result is attached to the caller's scope; intermediates are freed before returning.
     */
    Tensor layer(int l, Tensor x, Positions at, KvCache cache) {
        PointerScope outer = PointerScope.getInnerScope();
        if (outer == null) {
            throw new IllegalStateException("LlamaModel.layer needs an enclosing PointerScope");
        }
        Layer w = layers[l];
        long b = at.batch();
        long t = at.length();
        int hd = config.headDim();
        int nh = config.numHeads();
        int nkv = config.numKvHeads();
        int g = config.groups();
        int dev = deviceOfLayer[l];
        try (PointerScope scope = new PointerScope()) {
            x = onDevice(devices[dev], x);                                                // [B,T,H] on l's device
            Tensor a = rmsNorm(x, w.inNorm);                                              // [B,T,H]
            Tensor qkv = project(a, w.qkv, b, t).reshape(b, t, nh + 2L * nkv, hd);          // [B,T,nh+2nkv,hd]
            Tensor qk = rotate(qkv.narrow(2, 0, nh + nkv), at, dev);                       // [B,T,nh+nkv,hd]
            Tensor q = qk.narrow(2, 0, nh);                                                // [B,T,nh,hd]
            Tensor k = qk.narrow(2, nh, nkv);                                              // [B,T,nkv,hd]
            Tensor v = qkv.narrow(2, nh + nkv, nkv);                                       // [B,T,nkv,hd]
            // the cache holds exactly one entry per slot: this call's keys/values replace the slot's content
            cache.keys(l).narrow(2, at.slot0(), t).copy_(k.transpose(1, 2));                  // [B,nkv,T,hd]
            cache.values(l).narrow(2, at.slot0(), t).copy_(v.transpose(1, 2));
            Tensor keys = cache.keys(l).narrow(2, 0, at.end());                              // [B,nkv,S,hd]
            Tensor values = cache.values(l).narrow(2, 0, at.end());
            Tensor o;
            if (t == 1) {
                // decode: the g query heads sharing a kv head become g rows of one attention, so K/V are read in
                // place (no repeat); a padding mask [B,1,1,S] broadcasts over those rows
                Tensor qg = q.reshape(b, nkv, g, hd);                                       // [B,nkv,g,hd]
                o = torch.scaled_dot_product_attention(qg, keys, values, at.mask(dev), 0.0, false,
                        defaultScale, false);                                               // [B,nkv,g,hd]
                // CUDA's attention kernels may return o with strides that no view can flatten: reshape copies then
                o = o.reshape(b, 1, (long) nh * hd);                                        // [B,1,nh*hd]
            } else {
                // prefill: causal (and padding) mask [B|1,1,T,S]; SDPA pairs query head j with kv head j / g
                o = torch.scaled_dot_product_attention(q.transpose(1, 2), keys, values, at.mask(dev), 0.0, false,
                        defaultScale, g > 1);                                               // [B,nh,T,hd]
                o = o.transpose(1, 2).reshape(b, t, (long) nh * hd);
            }
            Tensor h = x.add(proj(o, w.wo, w.bo, b, t));                                  // [B,T,H]
            Tensor m = rmsNorm(h, w.postNorm);                                            // [B,T,H]
            long inter = config.intermediateSize();
            Tensor gateUp = project(m, w.gateUp, b, t);                                   // [B,T,2I]
            Tensor gate = torch.silu(gateUp.narrow(-1, 0, inter));                        // [B,T,I]
            gate.mul_(gateUp.narrow(-1, inter, inter));
            Tensor out = h.add(proj(gate, w.wDown, w.bDown, b, t));                       // [B,T,H]
            outer.attach(out);
            return out;
        }
    }

    /**
     * RMSNorm over the last dimension. In float32 one fused call. In bf16/f16 Hugging Face's order exactly
     * (LlamaRMSNorm): the statistics and the scaling in float32, the result rounded to the compute dtype, then
     * multiplied by the weight in the compute dtype (two roundings: a fused kernel that rounds once differs).
     */
    private Tensor rmsNorm(Tensor x, TensorOptional weight) {
        if (!lowPrecision) {
            return torch.rms_norm(x, hiddenShape, weight, eps);
        }
        Tensor normed = torch.rms_norm(x.to(ScalarType.Float), hiddenShape, none, eps);     // float32, no weight
        return normed.to(dtype).mul_(weight.get());
    }

    /** Rotate-half RoPE: x*cos + roll(x, d/2)*[-sin, sin], x [B,T,heads,hd], tables [B|1,T,1,hd]. */
    private Tensor rotate(Tensor x, Positions at, int dev) {
        Tensor r = torch.roll(x, new long[] {config.headDim() / 2}, new long[] {-1});
        return x.mul(at.cos(dev)).add_(r.mul_(at.sin(dev)));
    }

    /** The stacked projections of x [B, T, in]: [B, T, sum of outs]. */
    private Tensor project(Tensor x, Stacked p, long b, long t) {
        if (p.weights().length == 1) {
            return proj(x, p.weights()[0], p.biases()[0], b, t);
        }
        org.bytedeco.pytorch.TensorVector outs = new org.bytedeco.pytorch.TensorVector();
        for (int i = 0; i < p.weights().length; i++) {
            outs.push_back(proj(x, p.weights()[i], p.biases()[i], b, t));
        }
        return torch.cat(outs, -1);
    }

    /**
     * x W^T + bias for x [B, T, in] and W [out, in], as [B, T, out]. One row (batch-1 decoding) on the CPU in float32
     * goes through matrix-vector multiplication: OpenBLAS's gemv streams the weights at close to memory bandwidth,
     * while linear's single-row GEMM reaches a fifth of it (measured on the 2-core EPYC with a 4096 x 4096 weight:
     * mv 27-28 GB/s, linear 5.5 GB/s). Decoding at batch 1 is nothing but reading the weights once per token.
     */
    private Tensor proj(Tensor x, Tensor w, TensorOptional bias, long b, long t) {
        if (b * t != 1 || x.is_cuda() || dtype != ScalarType.Float) {
            return torch.linear(x, w, bias);
        }
        Tensor y = torch.mv(w, x.reshape(x.size(-1)));                                     // [out]
        if (bias != null && bias.has_value()) {
            y = y.add(bias.get());
        }
        return y.reshape(1, 1, y.size(0));                                                   // [1,1,out]
    }

    /** Logits [B, V] in float32 of the last position of x [B, T, H]. */
    Tensor logitsLast(Tensor x, long t) {
        x = onDevice(this.last, x);
        Tensor last = t == 1 ? x : x.narrow(1, t - 1, 1);
        Tensor n = rmsNorm(last, norm);                                                    // [B,1,H]
        Tensor logits = proj(n, head, none, n.size(0), 1);                                 // [B,1,V]
        return logits.reshape(logits.size(0), logits.size(2)).to(ScalarType.Float);        // [B,V]
    }

    /** Logits [B, T, V] in float32 of every position of x [B, T, H]. */
    Tensor logitsAll(Tensor x) {
        Tensor n = rmsNorm(onDevice(last, x), norm);
        return torch.linear(n, head).to(ScalarType.Float);
    }

    /**
     * Logit lens: lm_head(final_norm(h)) of stored residual-stream states {@code states} [n][H], as float32 logits
     * [n][V]. The states go through the same final RMSNorm and head (in the compute dtype) as the last position of a
     * forward pass, so for the last layer's state at a step this gives that step's logits. Native memory lives in a
     * scope of this call only.
     */
    public float[][] lensLogits(float[][] states) {
        int n = states.length;
        int h = config.hiddenSize();
        if (n == 0) {
            return new float[0][];
        }
        float[] flat = new float[n * h];
        for (int i = 0; i < n; i++) {
            if (states[i].length != h) {
                throw MipeaksException.invalid("lens: state " + i + " has " + states[i].length
                        + " values, the model's hidden size is " + h);
            }
            System.arraycopy(states[i], 0, flat, i * h, h);
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor x = org.bytedeco.pytorch.AbstractTensor.create(flat, n, h)
                    .to(last.device, dtype, false, true, null);                            // [n,H]
            Tensor normed = rmsNorm(x, norm);
            Tensor logits = torch.linear(normed, head).to(ScalarType.Float);              // [n,V]
            float[] out = toFloats(logits);
            int v = out.length / n;
            float[][] rows = new float[n][v];
            for (int i = 0; i < n; i++) {
                System.arraycopy(out, i * v, rows[i], 0, v);
            }
            return rows;
        }
    }

    /** {@link #lensLogits(float[][])} of one state. */
    public float[] lensLogits(float[] state) {
        return lensLogits(new float[][] {state})[0];
    }

    /**
     * The token the logit lens emits for each state: the argmax of {@link #lensLogits} (lowest id on ties, as greedy
     * decoding chooses). States are processed in chunks so that at most ~64 MB of logits exist at a time (a run of
     * 16k steps times a 128k vocabulary would not fit).
     */
    public int[] lensArgmax(float[][] states) {
        int v = config.vocabSize();
        int chunk = Math.max(1, (16 << 20) / Math.max(1, v));
        int[] out = new int[states.length];
        for (int from = 0; from < states.length; from += chunk) {
            int to = Math.min(states.length, from + chunk);
            float[][] logits = lensLogits(java.util.Arrays.copyOfRange(states, from, to));
            for (int i = 0; i < logits.length; i++) {
                out[from + i] = argmax(logits[i]);
            }
        }
        return out;
    }

    /** Index of the largest value, the lowest index among ties; NaN never wins (-1 if all are NaN). */
    static int argmax(float[] row) {
        int best = -1;
        float bv = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < row.length; i++) {
            if (best < 0 ? !Float.isNaN(row[i]) : row[i] > bv) {
                best = i;
                bv = row[i];
            }
        }
        return best;
    }

    /** Tensor with the bytes of a Java long[] on the first device (token ids for the embedding), shape given. */
    Tensor longs(long[] v, long... shape) {
        return longs(deviceOfLayer[0], v, shape);
    }

    /** Tensor with the bytes of a Java long[] on device {@code i} (see {@link #deviceIndex}). */
    Tensor longs(int i, long[] v, long... shape) {
        Tensor t = org.bytedeco.pytorch.AbstractTensor.create(v, shape);
        return devices[i].cuda ? t.to(devices[i].device, ScalarType.Long, false, false, null) : t;
    }

    /** A bool tensor on device {@code i} (see {@link #deviceIndex}). */
    Tensor bools(int i, boolean[] v, long... shape) {
        Tensor t = org.bytedeco.pytorch.AbstractTensor.create(v, shape);
        return devices[i].cuda ? t.to(devices[i].device, ScalarType.Bool, false, false, null) : t;
    }

    /**
     * The tensors of {@code xs} on one device (the first one's), for stacking states that live on several devices:
     * each copied once, and only when it lives elsewhere.
     */
    static Tensor[] together(Tensor... xs) {
        if (xs.length < 2) {
            return xs;
        }
        boolean cuda0 = xs[0].is_cuda();
        byte index0 = cuda0 ? xs[0].device().index() : -1;
        Device target = null;
        Tensor[] out = xs.clone();
        for (int i = 1; i < xs.length; i++) {
            boolean c = xs[i].is_cuda();
            if (c != cuda0 || (c && xs[i].device().index() != index0)) {
                if (target == null) {
                    target = xs[0].device();
                }
                out[i] = xs[i].to(target, xs[i].scalar_type(), false, false, null);
            }
        }
        return out;
    }

    /** Copies a tensor's values to a float[] (on the CPU, float32, contiguous). */
    static float[] toFloats(Tensor t) {
        try (PointerScope scope = new PointerScope()) {
            Tensor c = t.to(new Device("cpu"), ScalarType.Float, false, false, null).contiguous();
            float[] out = new float[Math.toIntExact(c.numel())];
            c.data_ptr_float().get(out);
            return out;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (OnDevice d : devices) {
            if (d.ropeCos != null) {
                d.ropeCos.releaseReference();
                d.ropeSin.releaseReference();
                d.ropeCos = null;
                d.ropeSin = null;
            }
        }
        for (int i = owned.size() - 1; i >= 0; i--) {
            Pointer p = owned.get(i);
            if (p instanceof Tensor) {
                p.releaseReference();
            } else {
                p.close();
            }
        }
        owned.clear();
        mappings.clear();
    }

    @Override
    public String toString() {
        return dir + " " + config + " on " + describeCompute();
    }

}
