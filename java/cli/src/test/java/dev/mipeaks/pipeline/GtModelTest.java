package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.CliResult;
import dev.mipeaks.SharedData;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.eval.DatasetLoader;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --gt-model DIR}: the ground-truth states come from another checkpoint (here the trained stories260k Llama,
 * hidden size 64 like tiny-qwen2, given the byte tokenizer), encoded with its own tokenizer; config.json records it.
 */
class GtModelTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void groundTruthFromAnotherCheckpoint(@TempDir Path tmp) throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        Path stories = SharedData.require("models/stories260k");
        Path data = SharedData.require("data");
        Path gt = tmp.resolve("stories-with-tokenizer");
        Files.createDirectories(gt);
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(stories.resolve(f), gt.resolve(f));
        }
        Files.copy(model.resolve("tokenizer.json"), gt.resolve("tokenizer.json"));

        Path own = tmp.resolve("own");
        Path other = tmp.resolve("other");
        for (Path out : new Path[] {own, other}) {
            String[] base = {"run", "--model", model.toString(), "--dataset", "math500", "--data-dir", data.toString(),
                    "--limit", "1", "--layers", "all", "--max-new-tokens", "6", "--device", "cpu", "--threads", "1",
                    "--no-report", "--out", out.toString()};
            String[] args = out == other ? concat(base, "--gt-model", gt.toString()) : base;
            CliResult r = CliResult.run(args);
            assertEquals(0, r.code(), r.err());
        }
        JsonNode cfg = JSON.readTree(other.resolve(RunLayout.CONFIG).toFile());
        assertEquals(gt.toAbsolutePath().normalize().toString(), cfg.path("gt_model").asText());
        assertTrue(cfg.path("gt_model_fingerprint").isTextual());
        assertFalse(JSON.readTree(own.resolve(RunLayout.CONFIG).toFile()).has("gt_model"));

        DatasetRecord r = new DatasetLoader().withDataRoot(data).withLimit(1).load("math500").records().get(0);
        int[] layers = {0, 1, 2};
        float[][] want;
        try (Tokenizer tok = Tokenizer.load(gt); LlamaModel m = LlamaModel.load(gt, LlamaModel.Options.defaults())) {
            want = new Generator(m, tok).forwardHidden(tok.encode(r.solution(), true), layers);
        }
        Path tensors = other.resolve(RunLayout.problemTensors(0));
        try (SafetensorsFile f = SafetensorsFile.open(tensors); SafetensorsFile g = SafetensorsFile.open(
                own.resolve(RunLayout.problemTensors(0)))) {
            for (int l : layers) {
                assertArrayEquals(want[l], f.floats(RunLayout.gtHidden(l)), "gt_hidden." + l + " is stories260k's");
                // the generation is the model's own either way; only the ground truth differs
                assertArrayEquals(g.floats(RunLayout.hidden(l)), f.floats(RunLayout.hidden(l)));
                assertFalse(Arrays.equals(g.floats(RunLayout.gtHidden(l)), f.floats(RunLayout.gtHidden(l))));
            }
        }
        // MI is computed against those states
        PipelineRuns.recomputeAndCheck(tensors, layers, Map.of("sigma", "50"));
    }

    @Test
    void anotherHiddenSizeIsRefused(@TempDir Path tmp) {
        Path model = SharedData.require("models/tiny-qwen2");
        Path llama = SharedData.require("models/tiny-llama31");
        CliResult r = CliResult.run("run", "--model", model.toString(), "--dataset", "math500",
                "--data-dir", SharedData.require("data").toString(), "--limit", "1", "--device", "cpu", "--gt-model",
                llama.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("hidden_size 48 differs from the model's 64"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
