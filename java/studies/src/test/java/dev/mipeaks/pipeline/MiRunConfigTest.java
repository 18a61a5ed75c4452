package dev.mipeaks.pipeline;

import dev.mipeaks.study.Fingerprints;
import dev.mipeaks.study.RunFolder;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.DatasetLoader;
import dev.mipeaks.io.DType;
import dev.mipeaks.mi.MiBackend;
import dev.mipeaks.model.ModelSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json as a record: the same bytes as the tree it replaced, and read back equal. */
class MiRunConfigTest {
    @TempDir
    Path tmp;

    private RunOptions options(ModelSource model, Path data, Map<String, String> fields, Map<String, String> params,
                               String notice, Shard shard) {
        return new RunOptions(model, data.toString(), null, fields, 3, 40, "all", 64, "nhsic", params, "raw", true,
                0.6, 0.95, 1234567890123L, DType.BF16, "f32", "cpu", "cpu", null, true, 1, shard, 128,
                tmp.resolve("out"), notice, false, null, false);
    }

    private Path model() throws Exception {
        Path m = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(m.resolve("config.json"), "{\"num_hidden_layers\": 2}");
        return m;
    }

    private Path data() throws Exception {
        Path d = tmp.resolve("problems.jsonl");
        Files.writeString(d, "{\"problem\": \"1+1\", \"solution\": \"2\"}\n");
        return d;
    }

    /** The ObjectNode code MiRun.config had before it built a record, kept here as the reference for the bytes. */
    private static ObjectNode oldTree(RunOptions o, ModelSource src, Path dataFile, String datasetName, int[] layers,
                                      MiBackend backend, String computeDtype, String created, ModelSource gtSrc) {
        ObjectNode c = RunFolder.JSON.createObjectNode();
        c.put("format", MiRun.FORMAT);
        src.describe(c);
        c.put("dataset", DatasetLoader.KNOWN.contains(datasetName) ? datasetName : dataFile.toString());
        ArrayNode ls = c.putArray("layers");
        for (int l : layers) {
            ls.add(l);
        }
        c.put("estimator", backend.estimator().name());
        ObjectNode params = c.putObject("params");
        backend.estimator().parameters().forEach((k, v) -> {
            Object j = v instanceof dev.mipeaks.mi.Sigma s ? s.json() : v;
            if (j instanceof Number n) {
                params.put(k, n.doubleValue());
            } else {
                params.put(k, String.valueOf(j));
            }
        });
        c.put("max_new_tokens", o.maxNewTokens());
        c.put("prompt_template", o.promptTemplate());
        c.put("created", created);
        if (o.notice() != null) {
            c.put("notice", o.notice());
        } else {
            c.putNull("notice");
        }
        c.put("model_fingerprint", Fingerprints.model(src.dir()));
        c.put("dataset_file", dataFile.toString());
        c.put("dataset_sha256", Fingerprints.file(dataFile));
        ObjectNode f = c.putObject("fields");
        new java.util.TreeMap<>(o.fields()).forEach(f::put);
        c.put("offset", o.offset());
        c.put("limit", o.limit());
        c.put("add_special_tokens", o.addSpecialTokens());
        ObjectNode g = c.putObject("generation");
        g.put("temperature", o.temperature());
        g.put("top_p", o.topP());
        g.put("seed", o.seed());
        c.put("compute_dtype", computeDtype);
        c.put("state_dtype", o.stateDtype().name());
        if (o.shard().whole()) {
            c.putNull("shard");
        } else {
            c.put("shard", o.shard().label());
        }
        if (gtSrc != null) {
            c.put("gt_model", gtSrc.recorded());
            if (gtSrc.isHub()) {
                c.put("gt_model_snapshot", gtSrc.snapshot());
            }
            c.put("gt_model_fingerprint", Fingerprints.model(gtSrc.dir()));
        }
        return c;
    }

    private static String pretty(ObjectNode n) throws Exception {
        return RunFolder.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
    }

    private void assertSameBytes(ModelSource src, Map<String, String> fields, Map<String, String> params,
                                 String notice, Shard shard, ModelSource gt) throws Exception {
        Path data = data();
        RunOptions o = options(src, data, fields, params, notice, shard);
        int[] layers = {0, 1};
        try (MiBackend backend = MiBackends.open("cpu", "nhsic", params, 1, new PrintWriter(new StringWriter()))) {
            MiRunConfig config = MiRun.config(o, src, data, data.toString(), layers, backend, "bf16");
            if (gt != null) {
                config = config.withGtModel(gt.recorded(), gt.isHub() ? gt.snapshot() : null,
                        Fingerprints.model(gt.dir()));
            }
            String want = pretty(oldTree(o, src, data, data.toString(), layers, backend, "bf16", config.created(), gt));
            assertEquals(want, pretty(config.toJson()));
            // read back: the same record
            assertEquals(config, RunFolder.JSON.readValue(pretty(config.toJson()), MiRunConfig.class));
        }
    }

    @Test
    void folderModelWholeRunHasTheOldBytes() throws Exception {
        assertSameBytes(ModelSource.folder(model()), Map.of(), Map.of("sigma", "50"), null, Shard.ALL, null);
    }

    @Test
    void hubModelShardNoticeMedianFieldsAndGtModelHaveTheOldBytes() throws Exception {
        Path m = model();
        ModelSource hub = new ModelSource("org/name@main", m, "org/name", "main",
                "0123456789abcdef0123456789abcdef01234567");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("solution", "answer_text");
        fields.put("problem", "question");
        assertSameBytes(hub, fields, Map.of("sigma", "median", "eps", "0.001"), "random weights", new Shard(1, 4),
                hub);
        assertSameBytes(hub, fields, Map.of("sigma", "200"), null, Shard.ALL, ModelSource.folder(m));
    }

    @Test
    void goldenText() throws Exception {
        Path m = model();
        Path data = data();
        MiRunConfig c = new MiRunConfig(MiRun.FORMAT, m.toString(), null, "math", java.util.List.of(0, 31), "nhsic",
                new LinkedHashMap<>(Map.of("sigma", 50.0)), 512, "raw", "2026-01-02T03:04:05Z", null, "ab",
                data.toString(), "cd", new java.util.TreeMap<>(), 0, -1, true,
                new MiRunConfig.Generation(0, 1, 0), "f32", "F32", null, null, null, null);
        String want = """
                {
                  "format" : "mipeaks-run-v1",
                  "model" : "%s",
                  "dataset" : "math",
                  "layers" : [ 0, 31 ],
                  "estimator" : "nhsic",
                  "params" : {
                    "sigma" : 50.0
                  },
                  "max_new_tokens" : 512,
                  "prompt_template" : "raw",
                  "created" : "2026-01-02T03:04:05Z",
                  "notice" : null,
                  "model_fingerprint" : "ab",
                  "dataset_file" : "%s",
                  "dataset_sha256" : "cd",
                  "fields" : { },
                  "offset" : 0,
                  "limit" : -1,
                  "add_special_tokens" : true,
                  "generation" : {
                    "temperature" : 0.0,
                    "top_p" : 1.0,
                    "seed" : 0
                  },
                  "compute_dtype" : "f32",
                  "state_dtype" : "F32",
                  "shard" : null
                }""".formatted(m, data);
        assertEquals(want, pretty(c.toJson()));
    }
}
