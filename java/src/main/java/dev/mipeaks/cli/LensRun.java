package dev.mipeaks.cli;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.LogitLens;
import dev.mipeaks.analysis.RunData;
import dev.mipeaks.analysis.Vocabulary;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.MemoryPlan;
import dev.mipeaks.model.ModelConfig;
import dev.mipeaks.model.ModelSource;
import dev.mipeaks.model.NativeRuntime;
import dev.mipeaks.model.Placement;
import dev.mipeaks.model.SystemMemory;
import dev.mipeaks.model.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/** The work of {@code mipeaks lens}: the model's lens ({@link LlamaModel#lensArgmax}) over a run's states. */
final class LensRun {
    private LensRun() {
    }

    static LogitLens.Result run(RunData data, ModelSource src, Integer layer, AnalysisOptions options, boolean allSteps,
                                Path outDir, String device, String layersPerDevice, String dtype, boolean memoryCheck,
                                PrintWriter out, PrintWriter err) throws IOException {
        Path modelDir = src.dir();
        ModelConfig cfg = src.config();
        List<Integer> layers = layer == null ? data.config().layers() : List.of(layer);
        for (int l : layers) {
            if (l < 0 || l >= cfg.numLayers()) {
                throw MipeaksException.invalid("--layer " + l + ": the model " + src.label() + " has layers [0, "
                        + cfg.numLayers() + ")");
            }
        }
        MemoryPlan.Request req = MemoryPlan.Request.generation(cfg, MemoryPlan.Weights.read(modelDir, cfg),
                        Placement.single("cpu", cfg.numLayers()), dtype, 1, 0, 0)
                .withPositions(0, 0, "logit lens (no generation)");
        MemoryPlan plan = MemoryPlan.prepare(req, device, layersPerDevice, memoryCheck, new SystemMemory(),
                NativeRuntime::cudaDeviceCount, err);
        Tokenizer tok = src.hasTokenizer() ? Tokenizer.load(modelDir) : null;
        try (LlamaModel model = LlamaModel.load(modelDir, LlamaModel.Options.of(plan.placement(), plan.computeDtype()))) {
            IntFunction<String> decode;
            Vocabulary vocab;
            if (tok != null) {
                List<String> d = tok.decodedVocabulary();
                decode = id -> id < d.size() ? d.get(id) : ""; // as the tokenizer decodes an id it lacks
                vocab = new dev.mipeaks.pipeline.TokenizerVocabulary(tok);
            } else {
                err.println("mipeaks: warning: " + modelDir.resolve("tokenizer.json")
                        + " absent: lens tokens have no text and are shown by id");
                decode = id -> "";
                vocab = null;
            }
            LogitLens.Result r = LogitLens.run(data, layers, model::lensArgmax, decode, vocab, options, allSteps,
                    outDir, null);
            out.printf(Locale.ROOT, "lens over %d problems, layers %s, %s steps; counted at %s peaks%n", r.problems(),
                    r.layers(), allSteps ? "all" : "peak", r.rule().key());
            for (int l : r.layers()) {
                out.println(dev.mipeaks.analysis.PeakSummary.tokenLine(String.format(Locale.ROOT, "  layer %d: lens = generated token at "
                        + "%s of lensed steps; top lens tokens", l, pct(r.agreement().get(l))),
                        LogitLens.rows(r, l, vocab), 10));
            }
            out.println("wrote " + String.join(", ", r.files().stream().map(Path::toString).toList()));
            if (outDir.toAbsolutePath().normalize().equals(data.dir().toAbsolutePath().normalize())) {
                out.println("'mipeaks report " + data.dir() + "' adds the agreement by layer to report.md");
            }
            out.flush();
            return r;
        } finally {
            if (tok != null) {
                tok.close();
            }
        }
    }

    private static String pct(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
