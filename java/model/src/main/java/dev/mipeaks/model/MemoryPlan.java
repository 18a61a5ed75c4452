package dev.mipeaks.model;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.DType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The memory a model run will take, per device, computed from the model's shapes before anything is loaded, and
 * checked against what is available: a run that cannot fit is refused with exit 2 and the numbers, instead of being
 * killed by the kernel's OOM killer half-way.
 *
 * <ul>
 *   <li><b>weights</b>: every tensor in the compute dtype (the embedding on the first device, each layer on its
 *       device, the final norm and the head on the last; a tied head split from its embedding is a second copy). On
 *       the CPU, a tensor stored in the compute dtype is used in place from the memory-mapped file ("mapped": page
 *       cache, still RAM the run needs).</li>
 *   <li><b>KV cache</b>: layers x 2 x kv_heads x head_dim x positions x batch x dtype bytes, preallocated for
 *       prompt + max new tokens, on each layer's device.</li>
 *   <li><b>activations</b>: the peak of one prefill layer (hidden, q/k/v, MLP intermediates of every prompt
 *       position, the attention mask), the RoPE tables and the logits. LibTorch's attention does not materialise the
 *       T x T scores on the CPU (flash attention, measured) or on CUDA, so they are not counted.</li>
 *   <li><b>runtime</b>: LibTorch, the JVM and (on CUDA) the context and allocator slack, a fixed reserve.</li>
 *   <li><b>captured states</b>: steps x captured layers x hidden x state dtype bytes. They stream to spill files
 *       (io.TrajectoryWriter) and the assembled file is written beside them, so the disk of the output folder needs
 *       twice that; in RAM stays what the caller says (e.g. the MI chunks of {@code run}).</li>
 * </ul>
 *
 * <p>Available memory is injected ({@link Available}) so that the check is testable without allocating;
 * {@link SystemMemory} reads the machine. Positions are checked too: prompt + max new tokens beyond the model's
 * {@code max_position_embeddings} is refused with both numbers. No LibTorch types here.
 */
public final class MemoryPlan {
    /** Fixed reserve on the CPU: LibTorch's libraries and threads, the JVM. */
    static final long CPU_RUNTIME = 512L << 20;
    /** Fixed reserve on a CUDA device: the context and the caching allocator's slack. */
    static final long CUDA_RUNTIME = 768L << 20;

    /**
     * Element counts of the model's tensors by where they go, and the dtype they are stored in.
     *
     * @param layers elements of each decoder layer
     * @param head   elements of lm_head (the embedding's count when tied)
     */
    public record Weights(long embed, long[] layers, long norm, long head, boolean tied, DType stored) {
        /** From the config's shapes (no file needed). */
        public static Weights of(ModelConfig c, DType stored) {
            long embed = 0;
            long norm = 0;
            long head = 0;
            long[] layers = new long[c.numLayers()];
            for (Checkpoint.Spec s : Checkpoint.specs(c)) {
                long n = 1;
                for (long d : s.shape()) {
                    n *= d;
                }
                String name = s.name();
                if (name.startsWith("model.layers.")) {
                    int dot = name.indexOf('.', "model.layers.".length());
                    layers[Integer.parseInt(name.substring("model.layers.".length(), dot))] += n;
                } else if (name.equals("model.embed_tokens.weight")) {
                    embed += n;
                } else if (name.equals("lm_head.weight")) {
                    head += n;
                } else {
                    norm += n;
                }
            }
            if (c.tieWordEmbeddings()) {
                head = embed;
            }
            return new Weights(embed, layers, norm, head, c.tieWordEmbeddings(), stored);
        }

        /** From a checkpoint's headers (validated against the config; the weights are not read). */
        public static Weights read(Path dir, ModelConfig c) {
            try (Checkpoint ck = Checkpoint.open(dir, c)) {
                return of(c, ck.info("model.embed_tokens.weight").dtype());
            }
        }

        public long total() {
            long n = embed + norm + (tied ? 0 : head);
            for (long l : layers) {
                n += l;
            }
            return n;
        }
    }

    /**
     * What the run keeps of the captured states.
     *
     * @param steps      generated steps at most (max new tokens)
     * @param layers     captured layers
     * @param stepsInRam steps per layer held in memory at a time (0: every step is spilled)
     * @param perStep    bytes kept in memory for every step (token ids, MI values; growable arrays count twice)
     * @param dir        where the spill files and the output go (its file system is checked), or null
     */
    public record States(long steps, int layers, int hidden, DType dtype, long stepsInRam, long perStep, Path dir) {
        public static final States NONE = new States(0, 0, 0, DType.F32, 0, 0, null);

        long diskBytes() {
            return 2 * steps * layers * (long) hidden * dtype.bytes();
        }

        long ramBytes() {
            return stepsInRam * layers * (long) hidden * dtype.bytes() + steps * perStep;
        }
    }

    /** Memory the run needs besides the model on a device (e.g. the MI engine's buffers). */
    public record Extra(String device, String what, long bytes) {
        public Extra {
            device = Placement.normalize(device);
        }
    }

    /**
     * A run to plan.
     *
     * @param compute       compute dtype (F32, BF16, F16), or null for {@link ComputeDtype}'s default (f32)
     * @param batch         sequences decoded together
     * @param prefillTokens the longest single forward call (the prompt; for a continuation, its whole context)
     * @param positions     KV-cache positions per sequence (prompt + max new tokens)
     * @param positionsWhy  how positions were counted, for the error message (e.g. "prompt 812 + max new tokens 512")
     */
    public record Request(ModelConfig config, Weights weights, Placement placement, DType compute, int batch,
                          long prefillTokens, long positions, String positionsWhy, States states, List<Extra> extras) {
        public Request {
            extras = List.copyOf(extras);
            if (compute != null && compute != DType.F32 && compute != DType.BF16 && compute != DType.F16) {
                throw new IllegalArgumentException("compute dtype " + compute);
            }
        }

        /** One generation: {@code batch} prompts of at most {@code prompt} tokens, then {@code newTokens} steps. */
        public static Request generation(ModelConfig config, Weights weights, Placement placement, String computeDtype,
                                         int batch, long prompt, long newTokens) {
            return new Request(config, weights, placement, computeDtype == null ? null : computeDtype(computeDtype),
                    batch, prompt, prompt + newTokens,
                    "prompt " + prompt + " + max new tokens " + newTokens, States.NONE, List.of());
        }

        public Request withStates(States s) {
            return new Request(config, weights, placement, compute, batch, prefillTokens, positions, positionsWhy, s,
                    extras);
        }

        public Request withPlacement(Placement p) {
            return new Request(config, weights, p, compute, batch, prefillTokens, positions, positionsWhy, states, extras);
        }

        public Request withPositions(long prefill, long positions, String why) {
            return new Request(config, weights, placement, compute, batch, prefill, positions, why, states, extras);
        }

        public Request withCompute(DType d) {
            return new Request(config, weights, placement, d, batch, prefillTokens, positions, positionsWhy, states,
                    extras);
        }

        public Request withExtra(Extra e) {
            List<Extra> l = new ArrayList<>(extras);
            l.add(e);
            return new Request(config, weights, placement, compute, batch, prefillTokens, positions, positionsWhy,
                    states, l);
        }
    }

    /** What one device must hold. {@code available} is -1 when unknown. */
    public record Need(String device, String holds, long weights, boolean mapped, long kvCache, long activations,
                       long states, long extra, String extraWhat, long runtime, long available) {
        public long total() {
            return weights + kvCache + activations + states + extra + runtime;
        }

        public boolean fits() {
            return available < 0 || total() <= available;
        }

        String parts() {
            List<String> p = new ArrayList<>();
            if (weights > 0) {
                p.add("weights " + bytes(weights) + (mapped ? " (mapped)" : ""));
            }
            if (kvCache > 0) {
                p.add("KV cache " + bytes(kvCache));
            }
            if (activations > 0) {
                p.add("activations " + bytes(activations));
            }
            if (states > 0) {
                p.add("states in RAM " + bytes(states));
            }
            if (extra > 0) {
                p.add(extraWhat + " " + bytes(extra));
            }
            p.add("runtime " + bytes(runtime));
            return String.join(" + ", p);
        }
    }

    /** Bytes the captured states take on the output's file system; {@code available} -1 when unknown. */
    public record Disk(Path dir, long bytes, long available) {
        public boolean fits() {
            return available < 0 || bytes <= available;
        }
    }

    /** Free memory per device and free disk, injected so the plan can be checked without allocating. */
    public interface Available {
        /** Bytes available on {@code device} (cpu, cuda, cuda:N), or -1 when unknown. */
        long memory(String device);

        /** Usable bytes on the file system of {@code dir}, or -1 when unknown. */
        long disk(Path dir);

        /** Fixed numbers (tests): devices missing from the map are unknown. */
        static Available of(Map<String, Long> memory, long disk) {
            Map<String, Long> m = new LinkedHashMap<>(memory);
            return new Available() {
                @Override
                public long memory(String device) {
                    return m.getOrDefault(device, m.getOrDefault(device.equals("cuda") ? "cuda:0" : device, -1L));
                }

                @Override
                public long disk(Path dir) {
                    return disk;
                }
            };
        }
    }

    private final Request request;
    private final List<Need> needs;
    private final Disk disk;

    private MemoryPlan(Request request, List<Need> needs, Disk disk) {
        this.request = request;
        this.needs = List.copyOf(needs);
        this.disk = disk;
    }

    /** {@code --dtype} (null: the default) as the element type the plan counts in. */
    public static DType computeDtype(String name) {
        return switch (ComputeDtype.parse(name)) {
            case F32 -> DType.F32;
            case BF16 -> DType.BF16;
            case F16 -> DType.F16;
        };
    }

    /** The plan of {@code r} with the memory {@code a} reports. */
    public static MemoryPlan of(Request r, Available a) {
        if (r.compute() == null) {
            r = r.withCompute(computeDtype(null));
        }
        ModelConfig c = r.config();
        Placement pl = r.placement();
        int cb = r.compute().bytes();
        Weights w = r.weights();
        boolean weightsMapped = w.stored() == r.compute();
        Map<String, long[]> perDevice = new LinkedHashMap<>(); // weights, kv, activations, mapped(0/1)
        Map<String, List<String>> holds = new LinkedHashMap<>();
        long kvPerLayer = 2L * c.numKvHeads() * c.headDim() * r.positions() * r.batch() * cb;
        for (int i = 0; i < pl.blocks().size(); i++) {
            Placement.Block b = pl.blocks().get(i);
            long[] v = perDevice.computeIfAbsent(b.device(), k -> new long[4]);
            List<String> h = holds.computeIfAbsent(b.device(), k -> new ArrayList<>());
            boolean cpu = !Placement.isCuda(b.device());
            if (i == 0) {
                v[0] += w.embed() * cb;
                h.add("embedding");
            }
            for (int l = b.from(); l < b.to(); l++) {
                v[0] += w.layers()[l] * cb;
            }
            v[1] += kvPerLayer * b.layers();
            h.add(b.toString().substring(b.device().length() + 1));
            if (i == pl.blocks().size() - 1) {
                v[0] += w.norm() * cb;
                // a tied head is the embedding itself, unless the embedding sits on another device
                if (!w.tied() || !pl.first().device().equals(b.device())) {
                    v[0] += w.head() * cb;
                }
                h.add("norm, head");
            }
            v[2] = Math.max(v[2], activations(r, b.device(), i == pl.blocks().size() - 1));
            v[3] = cpu && weightsMapped ? 1 : 0;
        }
        long statesRam = r.states().ramBytes();
        List<Need> needs = new ArrayList<>();
        boolean hostListed = false;
        for (Map.Entry<String, long[]> e : perDevice.entrySet()) {
            String d = e.getKey();
            long[] v = e.getValue();
            boolean cpu = !Placement.isCuda(d);
            long st = cpu && !hostListed ? statesRam : 0;
            hostListed |= cpu;
            needs.add(new Need(d, pl.isSplit() ? String.join(" + ", holds.get(d)) : "model", v[0], v[3] == 1, v[1], v[2],
                    st, extra(r, d), extraWhat(r, d), cpu ? CPU_RUNTIME : CUDA_RUNTIME, a.memory(d)));
        }
        if (!hostListed) {
            needs.add(new Need("cpu", "host", 0, false, 0, 0, statesRam, extra(r, "cpu"), extraWhat(r, "cpu"), CPU_RUNTIME,
                    a.memory("cpu")));
        }
        for (Extra x : r.extras()) {
            if (!perDevice.containsKey(x.device()) && !x.device().equals("cpu") && need(needs, x.device()) == null) {
                needs.add(new Need(x.device(), x.what(), 0, false, 0, 0, 0, extra(r, x.device()), extraWhat(r, x.device()),
                        CUDA_RUNTIME, a.memory(x.device())));
            }
        }
        Disk disk = r.states().dir() == null || r.states().diskBytes() == 0 ? null
                : new Disk(r.states().dir(), r.states().diskBytes(), a.disk(r.states().dir()));
        return new MemoryPlan(r, needs, disk);
    }

    private static long extra(Request r, String device) {
        long n = 0;
        for (Extra x : r.extras()) {
            if (x.device().equals(device)) {
                n += x.bytes();
            }
        }
        return n;
    }

    private static Need need(List<Need> needs, String device) {
        for (Need n : needs) {
            if (n.device().equals(device)) {
                return n;
            }
        }
        return null;
    }

    private static String extraWhat(Request r, String device) {
        List<String> w = new ArrayList<>();
        for (Extra x : r.extras()) {
            if (x.device().equals(device)) {
                w.add(x.what());
            }
        }
        return String.join(", ", w);
    }

    /**
     * The peak of one prefill layer on a device: the hidden-size tensors of every prompt position (input, norm,
     * attention output, residual, MLP norm, output: 6), q/k/v and their rotated copies, the MLP's gate and up
     * projections, the attention mask (bool and its float form), the RoPE tables, and (last device) the logits.
     */
    static long activations(Request r, String device, boolean last) {
        ModelConfig c = r.config();
        long cb = r.compute().bytes();
        long bt = r.batch() * r.prefillTokens();
        long perToken = 6L * c.hiddenSize() + 2L * (c.qDim() + 2L * c.kvDim()) + 2L * c.intermediateSize();
        long act = bt * perToken * cb;
        // the mask of a forward call: [B|1, 1, T, S] bool plus the float form attention makes of it; a prefill sees
        // S = T slots, a padded batch's decoding step T = 1 and S up to the positions
        long maskRows = r.batch() > 1 ? r.batch() : 1;
        act += maskRows * Math.max(r.prefillTokens() * r.prefillTokens(), r.positions()) * 5;
        long rope = Math.min(2 * r.positions(), Math.max(r.positions(), c.maxPositionEmbeddings()));
        act += 2 * rope * c.headDim() * cb;
        if (last) {
            act += 2L * r.batch() * c.vocabSize() * 4;
        }
        return act;
    }

    public Request request() {
        return request;
    }

    public List<Need> needs() {
        return needs;
    }

    /** Null when no states go to disk. */
    public Disk disk() {
        return disk;
    }

    /** The need of {@code device}, or null. */
    public Need need(String device) {
        return need(needs, device);
    }

    /** Whether positions and every device's memory (where known) and the disk fit. */
    public boolean fits() {
        return positionsFit() && needs.stream().allMatch(Need::fits) && (disk == null || disk.fits());
    }

    public boolean positionsFit() {
        return request.positions() <= request.config().maxPositionEmbeddings();
    }

    /**
     * Refuses (exit 2, one line with the numbers) a run whose positions exceed max_position_embeddings; with
     * {@code memory}, also one that does not fit a device's memory or the output's disk.
     */
    public void check(boolean memory) {
        ModelConfig c = request.config();
        if (!positionsFit()) {
            throw MipeaksException.invalid(request.positionsWhy() + " = " + request.positions() + " positions, more "
                    + "than the model's max_position_embeddings " + c.maxPositionEmbeddings()
                    + " (config.json); lower --max-new-tokens or shorten the prompt");
        }
        if (!memory) {
            return;
        }
        for (Need n : needs) {
            if (!n.fits()) {
                throw MipeaksException.invalid("memory plan: " + n.device() + " needs " + bytes(n.total()) + " ("
                        + n.parts() + ") but " + bytes(n.available()) + " " + (Placement.isCuda(n.device()) ? "are free"
                        : "are available") + "; " + hint());
            }
        }
        if (disk != null && !disk.fits()) {
            throw MipeaksException.invalid("memory plan: the captured states need " + bytes(disk.bytes()) + " of disk "
                    + "under " + disk.dir() + " (spill files, then the assembled file) but " + bytes(disk.available())
                    + " are free; capture fewer --layers, use --state-dtype bf16, lower --max-new-tokens, or skip this "
                    + "check with --no-memory-check");
        }
    }

    private String hint() {
        List<String> h = new ArrayList<>();
        h.add("lower --max-new-tokens");
        if (request.compute() == DType.F32) {
            h.add("compute in --dtype bf16");
        }
        if (request.placement().anyCuda()) {
            h.add("spread the layers over more GPUs (--device cuda:0,cuda:1)");
        }
        h.add("or skip this check with --no-memory-check");
        return String.join(", ", h);
    }

    /** The block printed before loading: the run's shape, then one line per device and the disk. */
    public List<String> lines() {
        ModelConfig c = request.config();
        List<String> out = new ArrayList<>();
        String shape = request.positions() == 0 ? request.positionsWhy()
                : String.format(Locale.ROOT, "%s = %d positions (max_position_embeddings %d), batch %d",
                request.positionsWhy(), request.positions(), c.maxPositionEmbeddings(), request.batch());
        out.add(String.format(Locale.ROOT, "memory plan: %s, %s compute%s", shape, dtypeName(request.compute()),
                request.states().layers() == 0 ? ""
                        : String.format(Locale.ROOT, ", %d of %d layers captured (%s)", request.states().layers(),
                        c.numLayers(), dtypeName(request.states().dtype()))));
        for (Need n : needs) {
            out.add(String.format(Locale.ROOT, "  %-7s %s: %s = %s; %s", n.device(), n.holds(), n.parts(),
                    bytes(n.total()), n.available() < 0 ? "available unknown"
                            : bytes(n.available()) + (Placement.isCuda(n.device()) ? " free" : " available")
                            + (n.fits() ? "" : "  DOES NOT FIT")));
        }
        if (disk != null) {
            out.add(String.format(Locale.ROOT, "  %-7s captured states %s (x2 while the file is assembled) under %s; %s",
                    "disk", bytes(disk.bytes() / 2), disk.dir(), disk.available() < 0 ? "free space unknown"
                            : bytes(disk.available()) + " free" + (disk.fits() ? "" : "  DOES NOT FIT")));
        }
        return out;
    }

    public void print(PrintWriter w) {
        lines().forEach(w::println);
        w.flush();
    }

    public static String dtypeName(DType d) {
        return switch (d) {
            case F32 -> "f32";
            case BF16 -> "bf16";
            case F16 -> "f16";
            default -> d.name().toLowerCase(Locale.ROOT);
        };
    }

    /** 512 B, 4.0 KiB, 12.3 MiB, 15.0 GiB. */
    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < (1L << 20)) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        if (b < (1L << 30)) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
    }

    /**
     * {@code --device auto} for the model: one GPU when the run fits on cuda:0; else the layers filled over the GPUs
     * in order (each takes as many as fit); else the CPU when it fits there; else an even split over every GPU (which
     * the check then refuses with its numbers). {@code why} receives the one line that says what was chosen and why.
     */
    public static Placement auto(Request r, Available a, int cudaDevices, java.util.function.Consumer<String> why) {
        int n = r.config().numLayers();
        Placement cpu = Placement.single("cpu", n);
        if (cudaDevices <= 0) {
            return cpu;
        }
        Placement one = Placement.single("cuda:0", n);
        if (of(r.withPlacement(one), a).needs().stream().allMatch(Need::fits)) {
            return one;
        }
        long need0 = of(r.withPlacement(one), a).need("cuda:0").total();
        Placement filled = fill(r, a, cudaDevices);
        if (filled != null) {
            why.accept("--device auto: the model needs " + bytes(need0) + ", more than cuda:0's " + bytes(a.memory("cuda:0"))
                    + " free: layers split over " + filled.blocks().size() + " GPUs (" + describe(filled) + ")");
            return filled;
        }
        if (of(r.withPlacement(cpu), a).needs().stream().allMatch(Need::fits)) {
            why.accept("--device auto: the model (" + bytes(need0) + ") does not fit the free memory of " + cudaDevices
                    + " GPU" + (cudaDevices == 1 ? "" : "s") + ": computing on the CPU");
            return cpu;
        }
        List<String> all = new ArrayList<>();
        for (int i = 0; i < Math.min(cudaDevices, n); i++) {
            all.add("cuda:" + i);
        }
        return Placement.of(all, null, n);
    }

    /**
     * The one step every command takes before loading a model: chooses the placement for {@code device}
     * ({@code auto}, cpu, cuda[:N] or a list, with optional {@code layersPerDevice}; see {@link Placement#parse}),
     * prints the plan to {@code log} and checks it: positions always, memory unless {@code memoryCheck} is false.
     * {@code r}'s own placement is replaced.
     *
     * @param cudaDevices how many CUDA devices LibTorch sees (asked only for auto)
     */
    public static MemoryPlan prepare(Request r, String device, String layersPerDevice, boolean memoryCheck,
                                     Available a, java.util.function.IntSupplier cudaDevices, PrintWriter log) {
        MemoryPlan plan = choose(r, device, layersPerDevice, a, cudaDevices, log);
        plan.print(log);
        plan.check(memoryCheck);
        return plan;
    }

    /**
     * The plan for {@code device} without printing or checking it (a run that must know its placement and compute
     * dtype before it knows whether there is work to do); the line {@code auto} says about its choice goes to
     * {@code log}.
     */
    public static MemoryPlan choose(Request r, String device, String layersPerDevice, Available a,
                                    java.util.function.IntSupplier cudaDevices, PrintWriter log) {
        int n = r.config().numLayers();
        String d = device == null ? "cpu" : device.trim().toLowerCase(Locale.ROOT);
        Placement p;
        if (d.equals("auto")) {
            if (layersPerDevice != null && !layersPerDevice.isBlank()) {
                throw MipeaksException.invalid("--layers-per-device needs the devices named (--device cuda:0,cuda:1), "
                        + "not auto");
            }
            p = auto(r, a, cudaDevices.getAsInt(), line -> {
                log.println(line);
                log.flush();
            });
        } else {
            p = Placement.parse(d, layersPerDevice, n);
        }
        return of(r.withPlacement(p), a);
    }

    /** The compute dtype of the plan: f32, bf16 or f16 (as LlamaModel.Options takes it). */
    public String computeDtype() {
        return dtypeName(request.compute());
    }

    /** The placement the plan was made for. */
    public Placement placement() {
        return request.placement();
    }

    private static String describe(Placement p) {
        List<String> s = new ArrayList<>();
        for (Placement.Block b : p.blocks()) {
            s.add(b.toString());
        }
        return String.join(", ", s);
    }

    /** Greedy: layers onto cuda:0, cuda:1, ... while each device's plan fits; null when they do not all fit. */
    static Placement fill(Request r, Available a, int cudaDevices) {
        int n = r.config().numLayers();
        List<String> devices = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int at = 0;
        for (int d = 0; d < cudaDevices && at < n; d++) {
            // the most layers from `at` that fit on device d, given the blocks already placed before it
            int best = 0;
            for (int k = 1; at + k <= n; k++) {
                List<String> ds = new ArrayList<>(devices);
                ds.add("cuda:" + d);
                int[] cs = new int[counts.size() + 1 + (at + k < n ? 1 : 0)];
                for (int i = 0; i < counts.size(); i++) {
                    cs[i] = counts.get(i);
                }
                cs[counts.size()] = k;
                if (at + k < n) {
                    ds.add("cuda:" + (d + 1)); // placeholder for the rest, so device d is not planned as the last
                    cs[counts.size() + 1] = n - at - k;
                }
                Placement p = Placement.of(ds, cs, n);
                Need need = of(r.withPlacement(p), a).need("cuda:" + d);
                if (need.fits()) {
                    best = k;
                } else {
                    break;
                }
            }
            if (best == 0) {
                continue;
            }
            devices.add("cuda:" + d);
            counts.add(best);
            at += best;
        }
        if (at < n) {
            return null;
        }
        int[] cs = counts.stream().mapToInt(Integer::intValue).toArray();
        return Placement.of(devices, cs, n);
    }
}
