package dev.mipeaks.analysis;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.FolderLock;
import dev.mipeaks.io.OutputPaths;
import dev.mipeaks.model.MemoryPlan;
import dev.mipeaks.model.ModelConfig;
import dev.mipeaks.model.ModelSource;
import dev.mipeaks.model.Tokenizer;
import dev.mipeaks.study.ModelSession;
import dev.mipeaks.study.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The work of {@code mipeaks lens}: the model's lens ({@code lm_head(final_norm(h))},
 * {@link dev.mipeaks.model.LlamaModel#lensArgmax}) over a run's stored states at its MI peaks; see {@link LogitLens}.
 */
public final class LensRun {
    private LensRun() {
    }

    /**
     * What to lens.
     *
     * @param run      the run folder
     * @param model    the model and where it runs; its model null: the one the run's config.json names
     * @param layer    only this layer, or null for every layer of the run
     * @param allSteps the lens at every step, not only at peaks
     * @param out      the output folder, or null for the run folder
     * @param force    write into a non-empty --out that holds no lens output or run
     */
    public record Request(Path run, ModelSession.Request model, Integer layer, AnalysisOptions options, boolean allSteps,
                          Path out, boolean force) {
        public Path outDir() {
            return out == null ? run : out;
        }
    }

    /** The lens result, the folder written and the vocabulary its token rows are read with (null: no tokenizer). */
    public record Outcome(LogitLens.Result result, Path dir, Vocabulary vocab) {
        public List<ThinkingTokens.Row> rows(int layer) {
            return LogitLens.rows(result, layer, vocab);
        }
    }

    /**
     * Checks the request (the run, the model, --out), locks the output folder, loads the model as the memory plan
     * places it and writes lens.jsonl and lens_tokens.jsonl; warnings and the plan go to {@code err}.
     */
    public static Outcome run(Request r, PrintWriter err) throws IOException {
        RunData data = RunReader.open(r.run());
        ModelSource source = r.model().model() != null ? r.model().model() : runModel(r.run(), data.config().model());
        Path dir = r.outDir();
        OutputPaths.requireNotInput("--out", dir, Map.of(source.dir(), "--model"));
        OutputPaths.requireFolder("--out", dir, r.force(), "a lens output or run folder", LogitLens.LENS,
                RunLayout.CONFIG);
        try (FolderLock lock = FolderLock.acquire(dir, "lens", err)) {
            ModelConfig cfg = source.config();
            List<Integer> layers = r.layer() == null ? data.config().layers() : List.of(r.layer());
            for (int l : layers) {
                if (l < 0 || l >= cfg.numLayers()) {
                    throw MipeaksException.invalid("--layer " + l + ": the model " + source.label() + " has layers [0, "
                            + cfg.numLayers() + ")");
                }
            }
            try (ModelSession session = ModelSession.open(r.model().withModel(source))) {
                MemoryPlan plan = session.plan(session.workload(1, 0, 0)
                        .withPositions(0, 0, "logit lens (no generation)"), err);
                Tokenizer tok = session.tokenizer();
                var model = session.load(plan);
                IntFunction<String> decode;
                Vocabulary vocab;
                if (tok != null) {
                    List<String> decoded = tok.decodedVocabulary();
                    decode = id -> id < decoded.size() ? decoded.get(id) : ""; // as the tokenizer decodes an id it lacks
                    vocab = new TokenizerVocabulary(tok);
                } else {
                    err.println("mipeaks: warning: " + source.dir().resolve("tokenizer.json")
                            + " absent: lens tokens have no text and are shown by id");
                    decode = id -> "";
                    vocab = null;
                }
                LogitLens.Result result = LogitLens.run(data, layers, model::lensArgmax, decode, vocab, r.options(),
                        r.allSteps(), dir, null);
                return new Outcome(result, dir, vocab);
            }
        }
    }

    /**
     * The model a run's config.json names: its folder, or its Hugging Face id at the recorded snapshot
     * ({@code model_snapshot}), found here.
     */
    static ModelSource runModel(Path run, String recorded) {
        com.fasterxml.jackson.databind.node.ObjectNode cfg = RunFolder.readConfig(run);
        String snapshot = cfg == null ? null : cfg.path("model_snapshot").asText(null);
        String ref = snapshot == null ? recorded : recorded + "@" + snapshot;
        try {
            return ModelSource.resolve(ref);
        } catch (MipeaksException e) {
            throw MipeaksException.invalid(run.resolve("config.json") + ": field 'model' names " + ref + ", which is "
                    + "not a model folder or a Hugging Face id in the local cache here; give --model DIR|ORG/NAME ("
                    + e.getMessage() + ")");
        }
    }
}
