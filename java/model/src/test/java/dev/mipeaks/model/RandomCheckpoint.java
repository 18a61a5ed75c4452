package dev.mipeaks.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a seeded random Llama checkpoint (config.json + model.safetensors) for benchmarks and tests that need a
 * model of a given size: weights uniform in [-a, a] with a = sqrt(3 / fan_in) (unit-variance outputs), norms 1.
 */
public final class RandomCheckpoint {
    private RandomCheckpoint() {
    }

    /** Shape of the model to write. */
    public record Shape(int hidden, int intermediate, int layers, int heads, int kvHeads, int vocab) {
        /** About 100M parameters: hidden 768, 12 layers, 12 heads (4 kv), intermediate 2048, vocab 32000. */
        public static Shape llama100m() {
            return new Shape(768, 2048, 12, 12, 4, 32000);
        }
    }

    public static ModelConfig write(Path dir, Shape s, DType dtype, long seed) throws IOException {
        if (dtype != DType.F32 && dtype != DType.BF16) {
            throw new IllegalArgumentException("dtype " + dtype);
        }
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("hidden_size", s.hidden());
        c.put("intermediate_size", s.intermediate());
        c.put("num_hidden_layers", s.layers());
        c.put("num_attention_heads", s.heads());
        c.put("num_key_value_heads", s.kvHeads());
        c.put("vocab_size", s.vocab());
        c.put("max_position_embeddings", 4096);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", false);
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("torch_dtype", dtype == DType.F32 ? "float32" : "bfloat16");
        Files.writeString(dir.resolve("config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(c));
        ModelConfig config = ModelConfig.load(dir);
        SplittableRandom rng = new SplittableRandom(seed);
        SafetensorsWriter w = new SafetensorsWriter();
        w.metadata("format", "pt");
        for (Checkpoint.Spec spec : Checkpoint.specs(config)) {
            long[] shape = spec.shape();
            boolean norm = spec.name().endsWith("norm.weight");
            double a = shape.length == 2 ? Math.sqrt(3.0 / shape[1]) : 0;
            int n = Math.toIntExact(shape.length == 2 ? shape[0] * shape[1] : shape[0]);
            ByteBuffer b = ByteBuffer.allocate(n * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                float v = norm ? 1f : (float) ((rng.nextDouble() * 2 - 1) * a);
                if (dtype == DType.F32) {
                    b.putFloat(v);
                } else {
                    b.putShort(DType.bf16FromFloat(v));
                }
            }
            b.flip();
            w.add(spec.name(), dtype, shape, b);
        }
        w.write(dir.resolve("model.safetensors"));
        return config;
    }
}
