package dev.mipeaks.scaling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.PyStr;
import dev.mipeaks.eval.Dataset;
import dev.mipeaks.eval.DatasetLoader;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.Graders;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.eval.PaperGrader;
import dev.mipeaks.eval.Prompts;
import dev.mipeaks.eval.Verdict;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.MemoryPlan;
import dev.mipeaks.model.ModelConfig;
import dev.mipeaks.model.ModelSource;
import dev.mipeaks.model.Tokenizer;
import dev.mipeaks.study.ModelSession;
import dev.mipeaks.study.RunFolder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What the RR and TTTS runs share: the dataset slice, the prompt template, the model's tokenizer, and (after
 * {@link #loadModel}) the model, a greedy {@link Generator} and the graders (every answer is graded under both rule
 * sets; {@code rules} picks the headline). The cheap parts load first so that bad options and a mismatched run folder
 * fail before the weights are read.
 *
 * <p>A problem's question is its text with the reference's parse_question suffix (" (Yes or No)" / " (True or
 * False)" for such a ground truth, {@link PaperGrader#questionSuffix}) before the template is applied.
 */
public final class ScalingContext implements AutoCloseable {

    /**
     * @param model           the model folder or Hugging Face id, resolved
     * @param dataDir         root of the named datasets (null: the default, see {@link DatasetLoader#defaultDataRoot()})
     * @param limit           at most this many problems (negative: all)
     * @param device          cpu, cuda[:N], auto or a list of devices the layers are split over
     * @param layersPerDevice layers of each listed device, or null for an even split
     * @param dtype           compute dtype (null: f32 on every device)
     * @param memoryCheck     refuse a run whose memory plan does not fit (positions are checked always)
     * @param force           write into a non-empty output folder that holds no run (see {@link RunFolder#open})
     * @param rules           the rule set of the headline verdict and accuracy (both are always graded)
     */
    public record Options(ModelSource model, String dataset, Path dataDir, int offset, int limit, String promptTemplate,
                          String device, String layersPerDevice, String dtype, boolean memoryCheck, boolean force,
                          GradingRules rules) {
        public Options {
            if (rules == null) {
                rules = GradingRules.STRICT;
            }
        }

        /** All layers on {@code device}, the memory check on, strict rules. */
        public Options(ModelSource model, String dataset, Path dataDir, int offset, int limit, String promptTemplate,
                       String device, String dtype, boolean force) {
            this(model, dataset, dataDir, offset, limit, promptTemplate, device, null, dtype, true, force,
                    GradingRules.STRICT);
        }

        public String resolvedDtype() {
            return dev.mipeaks.model.ComputeDtype.resolve(dtype);
        }

        /** The model session these options ask for. */
        public ModelSession.Request session() {
            return new ModelSession.Request(model, device, layersPerDevice, resolvedDtype(), memoryCheck);
        }
    }

    private final Options options;
    private final ModelConfig config;
    private final ModelSession session;
    private final Tokenizer tokenizer;
    private final Dataset dataset;
    private final UnaryOperator<String> template;
    private LlamaModel model;
    private Generator generator;
    private Graders graders;

    private ScalingContext(Options options, ModelSession session, Dataset dataset, UnaryOperator<String> template) {
        this.options = options;
        this.session = session;
        this.config = session.config();
        this.tokenizer = session.tokenizer();
        this.dataset = dataset;
        this.template = template;
    }

    /**
     * The run folder of a scaling study (rr, ttts): results.jsonl of finished units; {@link RunFolder#INFO} holds the
     * informational config fields (never compared on resume).
     */
    static RunFolder.Kind folderKind(ObjectNode cfg) {
        String command = cfg.path("command").asText("rr");
        return RunFolder.Kind.of(command, "a run folder of mipeaks " + command, RunFolder.RESULTS)
                .notComparing(RunFolder.INFO);
    }

    /** Reads the model config, tokenizer and dataset; checks the options. The weights are not loaded yet. */
    public static ScalingContext open(Options o) {
        // cpu, cuda[:N] or a list of them, checked before the run folder: a CUDA-less machine says so now
        LlamaModel.checkDevices("--device", o.device());
        o.resolvedDtype();
        o.model().config(); // read now: a broken config.json is named before the dataset is read
        UnaryOperator<String> template = Prompts.byName(o.promptTemplate(), o.model().dir());
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
        if (!o.model().hasTokenizer()) {
            throw MipeaksException.invalid(o.model().file("tokenizer.json")
                    + ": no such file (problems are text: the model folder needs its tokenizer)");
        }
        return new ScalingContext(o, ModelSession.open(o.session()), ds, template);
    }

    /**
     * Loads the weights and the grader (slow); call after the run folder has been checked. First the memory plan for
     * the longest prompt of {@code todo} followed by {@code after} more positions (of which all but
     * {@code afterDecoded} may be one forward call) is printed to {@code log} and checked: positions beyond the model's
     * max_position_embeddings are refused naming the problem, memory beyond what is available unless the memory
     * check is off.
     *
     * @param afterWhy how {@code after} is made up, for the plan and its errors (e.g. "max new tokens 512")
     */
    public void loadModel(List<DatasetRecord> todo, long after, long afterDecoded, String afterWhy, PrintWriter log) {
        if (model != null) {
            return;
        }
        int longest = 0;
        DatasetRecord at = null;
        for (DatasetRecord r : todo) {
            int n = promptIds(r).length;
            if (n > longest) {
                longest = n;
                at = r;
            }
        }
        String why = "longest prompt " + longest + (at == null ? "" : " (" + dataset.source().getFileName() + " row "
                + at.index() + ", id " + at.id() + ")") + " + " + afterWhy;
        MemoryPlan plan = session.plan(session.workload(1, longest, after)
                .withPositions(longest + after - afterDecoded, longest + after, why), log);
        model = session.load(plan);
        generator = new Generator(model, tokenizer);
        graders = Graders.defaults(options.promptTemplate());
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

    public Graders graders() {
        if (graders == null) {
            throw new IllegalStateException("loadModel() first");
        }
        return graders;
    }

    /** The headline rule set. */
    public GradingRules rules() {
        return options.rules();
    }

    /** A response graded under both rule sets. */
    public Map<GradingRules, Verdict> grade(String response, DatasetRecord r) {
        return graders().gradeAll(response, r.answer());
    }

    /** The prompt text of a problem: the template applied to its question (see the class comment). */
    public String promptText(DatasetRecord r) {
        return template.apply(r.problem() + PaperGrader.questionSuffix(r.answer()));
    }

    /** The prompt of a problem: {@link #promptText}, tokenized with the tokenizer's special tokens. */
    public int[] promptIds(DatasetRecord r) {
        int[] ids = encodeText(promptText(r));
        if (ids.length == 0) {
            throw MipeaksException.invalid(dataset.source() + ": row " + r.index() + ": the prompt encodes to no tokens");
        }
        return ids;
    }

    /** A whole prompt text tokenized as the reference's vLLM calls tokenize theirs (special tokens added). */
    public int[] encodeText(String text) {
        return tokenizer.encode(text, true);
    }

    /** The reference's stop strings for this prompt template (its vLLM calls stop on them). */
    public List<String> stopWords() {
        return PaperGrader.stopWords(options.promptTemplate());
    }

    /**
     * A generation's text as vLLM returns it to the reference's scripts ({@code output.text},
     * skip_special_tokens=False): a trailing EOS id left out, special tokens elsewhere kept, and the text cut before
     * a stop string (vLLM does not include the stop string).
     */
    public String outputText(int[] ids) {
        int n = ids.length > 0 && config.isEos(ids[ids.length - 1]) ? ids.length - 1 : ids.length;
        String t = tokenizer.decode(java.util.Arrays.copyOf(ids, n), false);
        int cut = t.length();
        for (String w : stopWords()) {
            int at = t.indexOf(w);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return t.substring(0, cut);
    }

    /** {@code text.strip()} as Python strips (the reference strips every phase's output). */
    static String strip(String text) {
        return PyStr.strip(text);
    }

    /** Token ids of a text appended inside a sequence (no special tokens: no second BOS). */
    public int[] segmentIds(String text) {
        return tokenizer.encode(text, false);
    }

    /** The text of generated ids, special tokens (the stopping EOS) left out. */
    public String text(int[] ids) {
        return tokenizer.decode(ids, true);
    }

    /**
     * The configuration fields both commands share (what decides the results), at the head of their config.json;
     * {@code model_snapshot} only for a model given by Hugging Face id.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"model", "model_snapshot", "model_type", "dataset", "dataset_file", "prompt_template", "device",
            "dtype", "decoding"})
    public record Setting(String model, @JsonInclude(JsonInclude.Include.NON_NULL) String modelSnapshot,
                          String modelType, String dataset, String datasetFile, String promptTemplate, String device,
                          String dtype, String decoding) {
    }

    /** This context's {@link Setting}. */
    public Setting setting() {
        return new Setting(options.model().recorded(), options.model().isHub() ? options.model().snapshot() : null,
                config.family().name().toLowerCase(Locale.ROOT), dataset.name(),
                dataset.source().toAbsolutePath().normalize().toString(), options.promptTemplate(), options.device(),
                options.resolvedDtype(), "greedy");
    }

    @Override
    public void close() {
        if (graders != null) {
            graders.close();
        }
        session.close();
    }
}
