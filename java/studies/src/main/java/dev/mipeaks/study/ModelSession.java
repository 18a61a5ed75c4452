package dev.mipeaks.study;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.MemoryPlan;
import dev.mipeaks.model.ModelConfig;
import dev.mipeaks.model.ModelSource;
import dev.mipeaks.model.NativeRuntime;
import dev.mipeaks.model.Placement;
import dev.mipeaks.model.SystemMemory;
import dev.mipeaks.model.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The one way a study opens a model: its config and tokenizer at {@link #open}, then the memory plan for the
 * study's workload ({@link #workload}, {@link #plan}) and the weights on the planned devices ({@link #load}). Owns
 * the native memory of both: {@link #close} frees the model (if loaded) and the tokenizer.
 */
public final class ModelSession implements AutoCloseable {
    /**
     * What to open and where.
     *
     * @param model           the model folder or Hugging Face id, resolved
     * @param device          auto, cpu, cuda[:N] or a list of devices the layers are split over (null: cpu)
     * @param layersPerDevice layers of each listed device, or null for an even split
     * @param dtype           compute dtype (null: the default, f32 on every device)
     * @param memoryCheck     refuse a workload whose memory plan does not fit (positions are checked always)
     */
    public record Request(ModelSource model, String device, String layersPerDevice, String dtype, boolean memoryCheck) {
        public Request withModel(ModelSource model) {
            return new Request(model, device, layersPerDevice, dtype, memoryCheck);
        }

        public Request withDevice(String device) {
            return new Request(model, device, layersPerDevice, dtype, memoryCheck);
        }
    }

    private final Request request;
    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private LlamaModel model;

    private ModelSession(Request request, ModelConfig config, Tokenizer tokenizer) {
        this.request = request;
        this.config = config;
        this.tokenizer = tokenizer;
    }

    /** Reads the model's config and loads its tokenizer when the folder has one; the weights load in {@link #load}. */
    public static ModelSession open(Request r) {
        ModelConfig config = r.model().config();
        return new ModelSession(r, config, r.model().hasTokenizer() ? Tokenizer.load(r.model().dir()) : null);
    }

    public Request request() {
        return request;
    }

    public ModelSource source() {
        return request.model();
    }

    public Path dir() {
        return request.model().dir();
    }

    public ModelConfig config() {
        return config;
    }

    /** The tokenizer, or null when the model folder has no tokenizer.json. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The tokenizer; without tokenizer.json exit 2 naming the file and {@code why} it is needed. */
    public Tokenizer requireTokenizer(String why) {
        if (tokenizer == null) {
            throw MipeaksException.invalid(source().file("tokenizer.json") + ": no such file (" + why + ")");
        }
        return tokenizer;
    }

    /**
     * The memory-plan request of a generation on this model: {@code batch} prompts of at most {@code prompt} tokens,
     * then {@code newTokens} steps, at the session's compute dtype (the placement is the plan's to choose).
     */
    public MemoryPlan.Request workload(int batch, long prompt, long newTokens) {
        return MemoryPlan.Request.generation(config, MemoryPlan.Weights.read(dir(), config),
                Placement.single("cpu", config.numLayers()), request.dtype(), batch, prompt, newTokens);
    }

    /**
     * Places {@code workload} on the session's devices, prints the plan to {@code log} and checks it (positions
     * always, memory unless the memory check is off); see {@link MemoryPlan#prepare}.
     */
    public MemoryPlan plan(MemoryPlan.Request workload, PrintWriter log) {
        return MemoryPlan.prepare(workload, request.device(), request.layersPerDevice(), request.memoryCheck(),
                new SystemMemory(), NativeRuntime::cudaDeviceCount, log);
    }

    /** {@link #plan} without printing or checking it (see {@link MemoryPlan#choose}). */
    public MemoryPlan choose(MemoryPlan.Request workload, PrintWriter log) {
        return MemoryPlan.choose(workload, request.device(), request.layersPerDevice(), new SystemMemory(),
                NativeRuntime::cudaDeviceCount, log);
    }

    /** Loads the weights as {@code plan} places them. */
    public LlamaModel load(MemoryPlan plan) {
        return load(plan.placement(), plan.computeDtype());
    }

    /** Loads the weights on {@code placement} at {@code computeDtype}; the session closes them. */
    public synchronized LlamaModel load(Placement placement, String computeDtype) {
        if (model != null) {
            throw new IllegalStateException("the model is loaded already");
        }
        model = LlamaModel.load(dir(), LlamaModel.Options.of(placement, computeDtype));
        return model;
    }

    /** The loaded model. */
    public synchronized LlamaModel model() {
        if (model == null) {
            throw new IllegalStateException("load() first");
        }
        return model;
    }

    /** Frees the weights now (the tokenizer stays); a later {@link #load} loads them again. */
    public synchronized void unload() {
        if (model != null) {
            model.close();
            model = null;
        }
    }

    @Override
    public synchronized void close() {
        unload();
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
