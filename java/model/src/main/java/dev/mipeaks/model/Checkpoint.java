package dev.mipeaks.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.io.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weight files of a Hugging Face model folder ({@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}), opened and checked against the tensors a {@link ModelConfig} needs:
 * every tensor present, with the expected shape and a float dtype (F32, BF16, F16). Errors name the file and tensor.
 *
 * <p>Data stays memory-mapped (no LibTorch types here: the plain-Java reference reads the same checkpoint).
 */
public final class Checkpoint implements AutoCloseable {

    /** A tensor the model needs: its Hugging Face name and shape. */
    public record Spec(String name, long[] shape) {
        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    private final Path dir;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> where;

    private Checkpoint(Path dir, List<SafetensorsFile> files, Map<String, SafetensorsFile> where) {
        this.dir = dir;
        this.files = files;
        this.where = where;
    }

    /** Opens the weights of {@code dir} and validates every tensor {@code config} needs. */
    public static Checkpoint open(Path dir, ModelConfig config) {
        Path single = dir.resolve("model.safetensors");
        Path index = dir.resolve("model.safetensors.index.json");
        List<SafetensorsFile> files = new ArrayList<>();
        Map<String, SafetensorsFile> where = new LinkedHashMap<>();
        Checkpoint ck = new Checkpoint(dir, files, where);
        boolean ok = false;
        try {
            if (Files.exists(single)) {
                SafetensorsFile f = SafetensorsFile.open(single);
                files.add(f);
                for (String name : f.tensors().keySet()) {
                    where.put(name, f);
                }
            } else if (Files.exists(index)) {
                openShards(dir, index, files, where);
            } else {
                throw MipeaksException.invalid(dir + ": no model.safetensors or model.safetensors.index.json");
            }
            for (Spec s : specs(config)) {
                ck.check(s);
            }
            ok = true;
            return ck;
        } finally {
            if (!ok) {
                ck.close();
            }
        }
    }

    private static void openShards(Path dir, Path index, List<SafetensorsFile> files,
                                   Map<String, SafetensorsFile> where) {
        JsonNode root = ModelConfig.readJson(index, true);
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw MipeaksException.invalid(index + ": field 'weight_map' missing or not an object");
        }
        Map<String, SafetensorsFile> byFile = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String shard = e.getValue().asText();
            if (shard.contains("/") || shard.contains("\\")) {
                throw MipeaksException.invalid(index + ": tensor '" + e.getKey() + "': shard name '" + shard
                        + "' is not a plain file name");
            }
            SafetensorsFile f = byFile.get(shard);
            if (f == null) {
                f = SafetensorsFile.open(dir.resolve(shard));
                byFile.put(shard, f);
                files.add(f);
            }
            if (!f.has(e.getKey())) {
                throw MipeaksException.invalid(f.path() + ": no tensor '" + e.getKey() + "' (listed in " + index.getFileName()
                        + ")");
            }
            where.put(e.getKey(), f);
        }
    }

    /** The tensors of a config in load order, with their shapes. */
    public static List<Spec> specs(ModelConfig c) {
        long h = c.hiddenSize();
        long q = c.qDim();
        long kv = c.kvDim();
        long inter = c.intermediateSize();
        List<Spec> out = new ArrayList<>();
        out.add(new Spec("model.embed_tokens.weight", new long[] {c.vocabSize(), h}));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            out.add(new Spec(p + "input_layernorm.weight", new long[] {h}));
            out.add(new Spec(p + "self_attn.q_proj.weight", new long[] {q, h}));
            out.add(new Spec(p + "self_attn.k_proj.weight", new long[] {kv, h}));
            out.add(new Spec(p + "self_attn.v_proj.weight", new long[] {kv, h}));
            if (c.qkvBias()) {
                out.add(new Spec(p + "self_attn.q_proj.bias", new long[] {q}));
                out.add(new Spec(p + "self_attn.k_proj.bias", new long[] {kv}));
                out.add(new Spec(p + "self_attn.v_proj.bias", new long[] {kv}));
            }
            out.add(new Spec(p + "self_attn.o_proj.weight", new long[] {h, q}));
            if (c.oBias()) {
                out.add(new Spec(p + "self_attn.o_proj.bias", new long[] {h}));
            }
            out.add(new Spec(p + "post_attention_layernorm.weight", new long[] {h}));
            out.add(new Spec(p + "mlp.gate_proj.weight", new long[] {inter, h}));
            out.add(new Spec(p + "mlp.up_proj.weight", new long[] {inter, h}));
            out.add(new Spec(p + "mlp.down_proj.weight", new long[] {h, inter}));
            if (c.mlpBias()) {
                out.add(new Spec(p + "mlp.gate_proj.bias", new long[] {inter}));
                out.add(new Spec(p + "mlp.up_proj.bias", new long[] {inter}));
                out.add(new Spec(p + "mlp.down_proj.bias", new long[] {h}));
            }
        }
        out.add(new Spec("model.norm.weight", new long[] {h}));
        if (!c.tieWordEmbeddings()) {
            out.add(new Spec("lm_head.weight", new long[] {c.vocabSize(), h}));
        }
        return out;
    }

    private void check(Spec s) {
        SafetensorsFile f = where.get(s.name());
        if (f == null) {
            String in = files.size() == 1 ? files.get(0).path().toString() : dir + " (all shards)";
            throw MipeaksException.invalid(in + ": missing tensor '" + s.name() + "'");
        }
        TensorInfo t = f.info(s.name());
        if (t.dtype() != DType.F32 && t.dtype() != DType.BF16 && t.dtype() != DType.F16) {
            throw MipeaksException.invalid(f.path() + ": tensor '" + s.name() + "' has dtype " + t.dtype()
                    + " (expected F32, BF16 or F16)");
        }
        if (!Arrays.equals(t.shape(), s.shape())) {
            throw MipeaksException.invalid(f.path() + ": tensor '" + s.name() + "' has shape " + t.shapeString()
                    + " (expected " + Arrays.toString(s.shape()) + " from config.json)");
        }
    }

    public Path dir() {
        return dir;
    }

    /** The file holding a tensor (for error messages). */
    public Path fileOf(String name) {
        return file(name).path();
    }

    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    /** Memory-mapped little-endian bytes of a tensor (each tensor must be below 2 GiB). */
    public ByteBuffer data(String name) {
        return file(name).data(name);
    }

    /** A tensor converted to double (for the plain-Java reference; small models only). */
    public double[] doubles(String name) {
        return file(name).doubles(name);
    }

    /** Total bytes of the tensors a config uses, as stored. */
    public long bytes(ModelConfig c) {
        long n = 0;
        for (Spec s : specs(c)) {
            n += info(s.name()).byteSize();
        }
        return n;
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile f = where.get(name);
        if (f == null) {
            throw MipeaksException.invalid(dir + ": missing tensor '" + name + "'");
        }
        return f;
    }

    @Override
    public void close() {
        for (SafetensorsFile f : files) {
            f.close();
        }
    }
}
