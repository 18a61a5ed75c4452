package dev.mipeaks.scaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.eval.Dataset;
import dev.mipeaks.eval.DatasetLoader;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.MathGrader;
import dev.mipeaks.eval.Prompts;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.ModelConfig;
import dev.mipeaks.model.Tokenizer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * What the RR and TTTS runs share: the dataset slice, the prompt template, the model's tokenizer, and (after
 * {@link #loadModel}) the model, a greedy {@link Generator} and a grader. The cheap parts load first so that bad
 * options and a mismatched run folder fail before the weights are read.
 */
public final class ScalingContext implements AutoCloseable {

    /**
     * @param dataDir  root of the named datasets (null: the default, see {@link DatasetLoader#defaultDataRoot()})
     * @param limit    at most this many problems (negative: all)
     * @param dtype    compute dtype (null: f32 on every device)
     * @param force    write into a non-empty output folder that holds no run (see {@link RunFolder#open})
     */
    public record Options(Path model, String dataset, Path dataDir, int offset, int limit, String promptTemplate,
                          String device, String dtype, boolean force) {
        public String resolvedDtype() {
            return dev.mipeaks.model.ComputeDtype.resolve(dtype);
        }
    }

    private final Options options;
    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private final Dataset dataset;
    private final UnaryOperator<String> template;
    private LlamaModel model;
    private Generator generator;
    private MathGrader grader;

    private ScalingContext(Options options, ModelConfig config, Tokenizer tokenizer, Dataset dataset,
                           UnaryOperator<String> template) {
        this.options = options;
        this.config = config;
        this.tokenizer = tokenizer;
        this.dataset = dataset;
        this.template = template;
    }

    /** Reads the model config, tokenizer and dataset; checks the options. The weights are not loaded yet. */
    public static ScalingContext open(Options o) {
        // cpu, cuda or cuda:N, checked before the run folder: a CUDA-less machine says so now
        LlamaModel.checkDevice("--device", o.device());
        o.resolvedDtype();
        ModelConfig config = ModelConfig.load(o.model());
        UnaryOperator<String> template = Prompts.byName(o.promptTemplate(), o.model());
        DatasetLoader loader = new DatasetLoader().withOffset(o.offset()).withLimit(o.limit());
        if (o.dataDir() != null) {
            loader = loader.withDataRoot(o.dataDir());
        }
        Dataset ds = loader.load(o.dataset());
        for (DatasetRecord r : ds.records()) {
            if (r.answer() == null || r.answer().isBlank()) {
                throw MipeaksException.invalid(ds.source() + ": row " + r.index() + " (id " + r.id()
                        + ") has no answer to grade against");
            }
        }
        if (!Tokenizer.present(o.model())) {
            throw MipeaksException.invalid(o.model().resolve("tokenizer.json")
                    + ": no such file (problems are text: the model folder needs its tokenizer)");
        }
        Tokenizer tok = Tokenizer.load(o.model());
        return new ScalingContext(o, config, tok, ds, template);
    }

    /** Loads the weights and the grader (slow); call after the run folder has been checked. */
    public void loadModel() {
        if (model == null) {
            model = LlamaModel.load(options.model(), new LlamaModel.Options(options.device(), options.resolvedDtype()));
            generator = new Generator(model, tokenizer);
            grader = new MathGrader();
        }
    }

    public Options options() {
        return options;
    }

    public ModelConfig config() {
        return config;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Dataset dataset() {
        return dataset;
    }

    public Generator generator() {
        if (generator == null) {
            throw new IllegalStateException("loadModel() first");
        }
        return generator;
    }

    public MathGrader grader() {
        if (grader == null) {
            throw new IllegalStateException("loadModel() first");
        }
        return grader;
    }

    /** The prompt of a problem: the template applied to its text, tokenized with the tokenizer's special tokens. */
    public int[] promptIds(DatasetRecord r) {
        int[] ids = tokenizer.encode(template.apply(r.problem()), true);
        if (ids.length == 0) {
            throw MipeaksException.invalid(dataset.source() + ": row " + r.index() + ": the prompt encodes to no tokens");
        }
        return ids;
    }

    /** Token ids of a text appended inside a sequence (no special tokens: no second BOS). */
    public int[] segmentIds(String text) {
        return tokenizer.encode(text, false);
    }

    /** The text of generated ids, special tokens (the stopping EOS) left out. */
    public String text(int[] ids) {
        return tokenizer.decode(ids, true);
    }

    /** The configuration fields both commands share (what decides the results). */
    public void describe(ObjectNode c) {
        c.put("model", options.model().toAbsolutePath().normalize().toString());
        c.put("model_type", config.family().name().toLowerCase(Locale.ROOT));
        c.put("dataset", dataset.name());
        c.put("dataset_file", dataset.source().toAbsolutePath().normalize().toString());
        c.put("prompt_template", options.promptTemplate());
        c.put("device", options.device());
        c.put("dtype", options.resolvedDtype());
        c.put("decoding", "greedy");
    }

    @Override
    public void close() {
        if (grader != null) {
            grader.close();
        }
        if (model != null) {
            model.close();
        }
        tokenizer.close();
    }
}
