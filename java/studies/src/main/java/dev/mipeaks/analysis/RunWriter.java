package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the files of a run folder in the format {@link RunReader} reads. Order matters for resumable runs: write a
 * problem's JSON and tensors first (atomically), then append its manifest line, so that a manifest line always
 * points at complete files.
 */
public final class RunWriter {
    private RunWriter() {
    }

    /** Writes config.json atomically: the named fields, then any other fields of {@code c.raw()} not named here. */
    public static void writeConfig(Path dir, RunConfig c) throws IOException {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("model", c.model());
        o.put("dataset", c.dataset());
        ArrayNode layers = o.putArray("layers");
        c.layers().forEach(layers::add);
        o.put("estimator", c.estimator());
        ObjectNode params = o.putObject("params");
        for (Map.Entry<String, Object> e : c.params().entrySet()) {
            if (e.getValue() instanceof Number num) {
                params.put(e.getKey(), num.doubleValue());
            } else {
                params.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        o.put("max_new_tokens", c.maxNewTokens());
        o.put("prompt_template", c.promptTemplate());
        o.put("created", c.created());
        if (c.raw() != null) {
            c.raw().fields().forEachRemaining(e -> {
                if (!o.has(e.getKey())) {
                    o.set(e.getKey(), e.getValue());
                }
            });
        }
        AtomicFiles.writeString(dir.resolve(RunLayout.CONFIG),
                JsonFields.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }

    /** Writes problems/NNNNN.json atomically; returns its path relative to the run folder (the manifest's "file"). */
    public static String writeProblem(Path dir, ProblemRecord p) throws IOException {
        String rel = RunLayout.problemJson(p.index());
        AtomicFiles.writeString(dir.resolve(rel), JsonFields.MAPPER.writeValueAsString(p) + "\n");
        return rel;
    }

    /**
     * Writes problems/NNNNN.safetensors: token_ids I64[T], hidden.{l} F32[T,H], gt_hidden.{l} F32[H], mi.{l} F64[T].
     * {@code hidden.get(l)} is row-major [T*H].
     */
    public static void writeTensors(Path dir, int index, long[] tokenIds, int hiddenSize, Map<Integer, float[]> hidden,
                                    Map<Integer, float[]> gtHidden, Map<Integer, double[]> mi) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        int t = tokenIds.length;
        w.addI64(RunLayout.TENSOR_TOKEN_IDS, new long[]{t}, tokenIds);
        for (Map.Entry<Integer, float[]> e : hidden.entrySet()) {
            w.addF32(RunLayout.hidden(e.getKey()), new long[]{t, hiddenSize}, e.getValue());
        }
        for (Map.Entry<Integer, float[]> e : gtHidden.entrySet()) {
            w.addF32(RunLayout.gtHidden(e.getKey()), new long[]{hiddenSize}, e.getValue());
        }
        for (Map.Entry<Integer, double[]> e : mi.entrySet()) {
            w.addF64(RunLayout.mi(e.getKey()), new long[]{t}, e.getValue());
        }
        w.write(dir.resolve(RunLayout.problemTensors(index)));
    }

    /** Appends one manifest line and forces it to disk. */
    public static void appendManifest(Path dir, ManifestEntry e) throws IOException {
        byte[] line = (JsonFields.MAPPER.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.append(dir.resolve(RunLayout.MANIFEST), line);
    }
}
