package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.io.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared end-to-end golden (shared/pipeline/tiny-qwen2-math500.*: two MATH-500 problems through tiny-qwen2, exact
 * nhsic sigma 50) and a run folder built from it in the pipeline's format.
 */
public final class GoldenRun {
    static final String NAME = "pipeline/tiny-qwen2-math500";

    final Path tensors;
    final JsonNode json;

    private GoldenRun(Path tensors, JsonNode json) {
        this.tensors = tensors;
        this.json = json;
    }

    /** The golden, or a skipped test (with the reason printed) when ../shared is absent. */
    static GoldenRun loadOrSkip() {
        String shared = System.getProperty("mipeaks.shared", "../shared");
        Path st = Path.of(shared).resolve(NAME + ".safetensors");
        Path js = Path.of(shared).resolve(NAME + ".json");
        boolean present = Files.isRegularFile(st) && Files.isRegularFile(js);
        if (!present) {
            System.out.println("SKIP: shared golden " + st + " is absent (no ../shared in this checkout)");
        }
        Assumptions.assumeTrue(present, "shared golden " + st + " is absent");
        return new GoldenRun(st, JsonFields.readFile(js));
    }

    int problems() {
        return json.get("problems").size();
    }

    /** top5_steps_per_layer of problem p: [L][5]. */
    int[][] top5(int p) {
        return JsonFields.MAPPER.convertValue(json.get("problems").get(p).get("top5_steps_per_layer"), int[][].class);
    }

    /** The byte tokenizer of the tiny models: ids 0-4 special, id 5 + b is byte b. */
    static String decode(long id) {
        if (id < 5) {
            return "<|special " + id + "|>";
        }
        int b = (int) id - 5;
        return b < 128 ? String.valueOf((char) b) : "\uFFFD";
    }

    /** Writes the golden as a run folder: layers 0..L-1, mi.{l} = the golden nhsic, states as stored. */
    Path writeRun(Path dir) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(tensors)) {
            int layers = (int) f.info("p0.hidden").dim(0);
            int h = (int) f.info("p0.hidden").dim(2);
            List<Integer> layerList = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                layerList.add(l);
            }
            RunWriter.writeConfig(dir, new RunConfig("models/tiny-qwen2", "data/math500/test.jsonl", layerList, "nhsic",
                    Map.of("sigma", 50.0, "eps", 1e-5), 24, "{problem}", "2025-01-01T00:00:00Z", null));
            for (int p = 0; p < problems(); p++) {
                String pre = "p" + p + ".";
                long[] ids = f.longs(pre + "token_ids");
                int t = ids.length;
                float[] hidden = f.floats(pre + "hidden");
                float[] gt = f.floats(pre + "gt_hidden");
                double[] nhsic = f.doubles(pre + "nhsic");
                Map<Integer, double[]> mi = new LinkedHashMap<>();
                Map<Integer, float[]> hs = new LinkedHashMap<>();
                Map<Integer, float[]> gs = new LinkedHashMap<>();
                for (int l = 0; l < layers; l++) {
                    mi.put(l, Arrays.copyOfRange(nhsic, l * t, (l + 1) * t));
                    hs.put(l, Arrays.copyOfRange(hidden, l * t * h, (l + 1) * t * h));
                    gs.put(l, Arrays.copyOfRange(gt, l * h, (l + 1) * h));
                }
                int[] iids = new int[t];
                List<String> tokens = new ArrayList<>();
                for (int i = 0; i < t; i++) {
                    iids[i] = (int) ids[i];
                    tokens.add(decode(ids[i]));
                }
                long[] prompt = f.longs(pre + "prompt_ids");
                int[] pids = new int[prompt.length];
                for (int i = 0; i < pids.length; i++) {
                    pids[i] = (int) prompt[i];
                }
                String id = json.get("problems").get(p).get("unique_id").asText();
                ProblemRecord rec = new ProblemRecord(p, id, null, null, String.join("", tokens),
                        iids[t - 1] == 1 ? "eos" : "max_new_tokens", pids, iids, tokens, layerList, "nhsic", mi);
                String file = RunWriter.writeProblem(dir, rec);
                RunWriter.writeTensors(dir, p, ids, h, hs, gs, mi);
                RunWriter.appendManifest(dir, new ManifestEntry(p, id, RunLayout.STATUS_OK, null, file));
            }
        }
        return dir;
    }
}
