package dev.mipeaks.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.demo.DemoModel;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.FolderLock;
import dev.mipeaks.io.OutputPaths;
import dev.mipeaks.study.RunFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code mipeaks demo}: the whole pipeline with nothing to download. The model is {@link DemoModel} (a seeded random
 * Llama with a byte tokenizer, written into {@code <out>/model}); the problems are the handful that ship in the jar
 * ({@code demo/problems.jsonl}, copied to {@code <out>/data}). Every output says the weights are random.
 */
public final class DemoRun {
    public static final long DEFAULT_SEED = 20250602L;
    public static final String NOTICE = "DEMO: the model has random weights (a seeded random Llama that mipeaks builds, "
            + "no download). Its MI peaks and thinking tokens show the pipeline working, not a finding about reasoning.";
    static final String PROBLEMS = "demo/problems.jsonl";
    /** The demo model's config.json, relative to the demo's folder (a demo interrupted before its run began). */
    static final String MODEL_CONFIG = "model/config.json";

    private DemoRun() {
    }

    /**
     * Demo settings: all 4 layers, nhsic sigma 50, greedy. Writes the model and the problems into {@code out}
     * (refused when {@code out} is a non-empty folder that holds no run, unless {@code force}); the caller holds
     * {@code out}'s {@link FolderLock}.
     */
    public static RunOptions options(Path out, long seed, int maxNewTokens, int threads, AnalysisOptions analysis,
                                     boolean force) throws IOException {
        OutputPaths.requireFolder("--out", out, force, "a demo run folder", RunLayout.CONFIG, MODEL_CONFIG);
        Path model = model(out.resolve("model"), seed, force);
        Path data = problems(out.resolve("data"));
        // out now holds the demo's own model/ and data/: the run's folder check has been made above
        return new RunOptions(dev.mipeaks.model.ModelSource.folder(model), data.toString(), null, Map.of(), 0, -1, "all",
                maxNewTokens, "nhsic", Map.of("sigma", "50"), "raw", true, 0, 1, 0, DType.F32, "f32", "cpu", "cpu", null,
                true, threads, Shard.ALL, 128, out, NOTICE, true, analysis, true);
    }

    /**
     * Writes the demo model unless {@code dir} already holds the one of this seed (then it is reused); a model
     * there that is not a demo model is never replaced, unless {@code force}.
     */
    static Path model(Path dir, long seed, boolean force) throws IOException {
        Path cfg = dir.resolve("config.json");
        if (!force && Files.isRegularFile(cfg)
                && !RunFolder.JSON.readTree(cfg.toFile()).path(DemoModel.MARKER).asBoolean(false)) {
            throw MipeaksException.invalid(dir + ": holds a model that is not the demo's (no '" + DemoModel.MARKER
                    + "' in its config.json); use another --out, or --force to replace it");
        }
        if (Files.isRegularFile(cfg) && Files.isRegularFile(dir.resolve("model.safetensors"))
                && Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            JsonNode n = RunFolder.JSON.readTree(cfg.toFile());
            if (n.path(DemoModel.MARKER).asBoolean(false) && n.path("mipeaks_demo_seed").asLong(Long.MIN_VALUE) == seed) {
                return dir;
            }
        }
        return DemoModel.write(dir, seed);
    }

    /** Copies the shipped problems to {@code dir/problems.jsonl} (rewritten only when they differ). */
    static Path problems(Path dir) throws IOException {
        byte[] bytes;
        try (InputStream in = DemoRun.class.getClassLoader().getResourceAsStream(PROBLEMS)) {
            if (in == null) {
                throw new IllegalStateException("resource " + PROBLEMS + " missing from the build");
            }
            bytes = in.readAllBytes();
        }
        Path f = dir.resolve("problems.jsonl");
        if (!Files.isRegularFile(f) || !Arrays.equals(Files.readAllBytes(f), bytes)) {
            AtomicFiles.write(f, os -> os.write(bytes));
        }
        return f;
    }

    /**
     * {@code mipeaks demo} end to end: the folder check, its lock, the demo model and problems ({@link #options}),
     * then {@code loadRuntime} (LibTorch: after the folder is settled, so a folder error comes first) and the run with
     * its printed summary ({@link RunEndToEnd}).
     */
    public static MiRun.Summary run(Path out, long seed, int maxNewTokens, int threads, AnalysisOptions analysis,
                                    boolean force, Runnable loadRuntime, PrintWriter stdout, PrintWriter err)
            throws IOException {
        OutputPaths.requireFolder("--out", out, force, "a demo run folder", RunLayout.CONFIG, MODEL_CONFIG);
        try (FolderLock lock = FolderLock.acquire(out, "demo", err)) {
            RunOptions o = options(out, seed, maxNewTokens, threads, analysis, force);
            loadRuntime.run();
            stdout.println(NOTICE);
            return RunEndToEnd.run(o, stdout, err);
        }
    }
}
