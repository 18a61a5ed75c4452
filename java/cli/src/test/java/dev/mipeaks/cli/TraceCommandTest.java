package dev.mipeaks.cli;

import static dev.mipeaks.CliResult.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.CliResult;
import dev.mipeaks.SharedData;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.io.SafetensorsWriter;
import dev.mipeaks.io.TensorInfo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mipeaks trace} end to end, and its one-line exit-2 errors for bad model folders. */
class TraceCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void layersTakeRunsVocabulary() throws IOException {
        Path dir = SharedData.model("tiny-qwen2"); // 3 layers
        Path out = tmp.resolve("last.safetensors");
        CliResult r = run("trace", "--model", dir.toString(), "--prompt-ids", "7,8", "--layers", "last",
                "--max-new-tokens", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertEquals("[2]", f.metadata().get("layers"));
            assertTrue(f.has("hidden.2") && !f.has("hidden.0"));
        }
        r = run("trace", "--model", dir.toString(), "--prompt-ids", "7", "--layers", "first", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--layers 'first': expected all, last or layer indices"), r.err());
    }

    @Test
    void tracesTextPromptToSafetensors() throws IOException {
        Path dir = SharedData.model("tiny-qwen2");
        Path out = tmp.resolve("t.safetensors");
        CliResult r = run("trace", "--model", dir.toString(), "--prompt", "What is 2+2?", "--layers", "0,2",
                "--max-new-tokens", "7", "--state-dtype", "bf16", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tokens/s"), r.out());
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertEquals(DType.BF16, f.info("hidden.0").dtype());
            assertArrayEquals(new long[] {7, 64}, f.info("hidden.2").shape());
            assertFalse(f.has("hidden.1"));
            assertEquals(7, f.longs("token_ids").length);
            Map<String, String> m = f.metadata();
            assertEquals("[0,2]", m.get("layers"));
            assertEquals("BF16", m.get("dtype"));
            assertEquals("max_new_tokens", m.get("stop_reason"));
            assertEquals(dir.toString(), m.get("model"));
            // byte-level tokenizer: id = byte + 5
            assertTrue(m.get("prompt_ids").startsWith("[" + ('W' + 5) + ","), m.get("prompt_ids"));
        }
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(out), files.toList(), "no spill files left");
        }
    }

    @Test
    void chatTemplateFromTokenizerConfig() throws IOException {
        Path d = copy("tiny-qwen2", null);
        Files.copy(SharedData.model("tiny-qwen2").resolve("tokenizer.json"), d.resolve("tokenizer.json"));
        ObjectNode tc = JSON.createObjectNode();
        tc.put("bos_token", "<|bos|>");
        tc.put("chat_template", "{{ bos_token }}{% for m in messages %}U:{{ m['content'] }}\n{% endfor %}"
                + "{% if add_generation_prompt %}A:{% endif %}");
        Files.writeString(d.resolve("tokenizer_config.json"), tc.toString());
        Path out = tmp.resolve("chat.safetensors");
        CliResult r = run("trace", "--model", d.toString(), "--prompt", "hi", "--chat-template", "--max-new-tokens", "2",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            // <|bos|> is id 0; bytes are id = byte + 5
            String want = "[0," + ('U' + 5) + "," + (':' + 5) + "," + ('h' + 5) + "," + ('i' + 5) + "," + ('\n' + 5) + ","
                    + ('A' + 5) + "," + (':' + 5) + "]";
            assertEquals(want, f.metadata().get("prompt_ids"));
        }
        Files.delete(d.resolve("tokenizer_config.json"));
        CliResult bad = run("trace", "--model", d.toString(), "--prompt", "hi", "--chat-template", "--out", out.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("tokenizer_config.json: no such file"), bad.err());
    }

    @Test
    void shardedCheckpointGivesTheSameTrace() throws IOException {
        Path dir = SharedData.model("tiny-llama31");
        Path sharded = tmp.resolve("sharded");
        Files.createDirectories(sharded);
        Files.copy(dir.resolve("config.json"), sharded.resolve("config.json"));
        ObjectNode map = JSON.createObjectNode();
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            SafetensorsWriter a = new SafetensorsWriter();
            SafetensorsWriter b = new SafetensorsWriter();
            for (TensorInfo t : f.tensors().values()) {
                boolean first = t.name().contains("layers.0.") || t.name().contains("embed");
                (first ? a : b).add(t.name(), t.dtype(), t.shape(), f.data(t.name()));
                map.put(t.name(), first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
            }
            a.write(sharded.resolve("model-00001-of-00002.safetensors"));
            b.write(sharded.resolve("model-00002-of-00002.safetensors"));
        }
        ObjectNode index = JSON.createObjectNode();
        index.set("weight_map", map);
        Files.writeString(sharded.resolve("model.safetensors.index.json"), index.toString());
        Path o1 = tmp.resolve("a.safetensors");
        Path o2 = tmp.resolve("b.safetensors");
        assertEquals(0, run("trace", "--model", dir.toString(), "--prompt-ids", "2,10,11,12", "--max-new-tokens", "5",
                "--out", o1.toString()).code());
        CliResult r = run("trace", "--model", sharded.toString(), "--prompt-ids", "2,10,11,12", "--max-new-tokens", "5",
                "--out", o2.toString());
        assertEquals(0, r.code(), r.err());
        try (SafetensorsFile f1 = SafetensorsFile.open(o1); SafetensorsFile f2 = SafetensorsFile.open(o2)) {
            assertArrayEquals(f1.longs("token_ids"), f2.longs("token_ids"));
            assertArrayEquals(f1.floats("hidden.1"), f2.floats("hidden.1"));
        }
        // a shard that the index names but that is gone
        Files.delete(sharded.resolve("model-00002-of-00002.safetensors"));
        expectInvalid(sharded, "model-00002-of-00002.safetensors: no such file");
    }

    // ---- bad input: exit 2, one line naming the file and the tensor or field

    @Test
    void missingWeights() throws IOException {
        Path d = copy("tiny-qwen2", null);
        Files.delete(d.resolve("model.safetensors"));
        expectInvalid(d, d + ": no model.safetensors or model.safetensors.index.json");
    }

    @Test
    void truncatedWeights() throws IOException {
        Path d = copy("tiny-qwen2", null);
        Path f = d.resolve("model.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() - 1000);
        }
        CliResult r = expectInvalid(d, f.toString());
        assertTrue(r.err().contains("truncated"), r.err());
        assertTrue(r.err().contains("tensor '"), r.err());
    }

    @Test
    void wrongShape() throws IOException {
        String name = "model.layers.1.self_attn.q_proj.weight";
        Path d = copy("tiny-qwen2", null);
        rewrite(d, name, DType.BF16, new long[] {32, 128});
        expectInvalid(d, d.resolve("model.safetensors") + ": tensor '" + name
                + "' has shape [32, 128] (expected [64, 64] from config.json)");
    }

    @Test
    void wrongDtype() throws IOException {
        String name = "model.norm.weight";
        Path d = copy("tiny-qwen2", null);
        rewrite(d, name, DType.I16, new long[] {64});
        expectInvalid(d, d.resolve("model.safetensors") + ": tensor '" + name + "' has dtype I16");
    }

    @Test
    void missingTensor() throws IOException {
        Path d = copy("tiny-qwen2", null);
        rewrite(d, "model.layers.2.mlp.up_proj.weight", null, null);
        expectInvalid(d, d.resolve("model.safetensors") + ": missing tensor 'model.layers.2.mlp.up_proj.weight'");
    }

    @Test
    void configProblems() throws IOException {
        expectInvalid(copy("tiny-qwen2", c -> c.remove("hidden_size")), "field 'hidden_size': missing");
        expectInvalid(copy("tiny-qwen2", c -> c.put("model_type", "mistral")),
                "field 'model_type': 'mistral' is not supported");
        expectInvalid(copy("tiny-qwen2", c -> c.put("use_sliding_window", true)), "field 'use_sliding_window'");
        expectInvalid(copy("tiny-llama31", c -> ((ObjectNode) c.get("rope_scaling")).put("rope_type", "yarn")),
                "field 'rope_scaling.rope_type': 'yarn' is not supported");
        expectInvalid(copy("tiny-llama31", c -> c.put("num_key_value_heads", 3)), "field 'num_key_value_heads'");
        expectInvalid(copy("tiny-qwen2", c -> c.put("intermediate_size", 100)),
                "model.layers.0.mlp.gate_proj.weight' has shape [160, 64] (expected [100, 64] from config.json)");
    }

    @Test
    void badOptions() {
        Path dir = SharedData.model("stories260k");
        String out = tmp.resolve("x.safetensors").toString();
        CliResult r = run("trace", "--model", dir.toString(), "--prompt", "Once", "--out", out);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("tokenizer.json: no such file"), r.err());
        assertEquals(2, run("trace", "--model", dir.toString(), "--prompt-ids", "1", "--layers", "5", "--out", out).code());
        assertEquals(2, run("trace", "--model", dir.toString(), "--prompt-ids", "1,x", "--out", out).code());
        assertEquals(2, run("trace", "--model", dir.toString(), "--prompt-ids", "1,512", "--out", out).code());
        assertEquals(2, run("trace", "--model", dir.toString(), "--prompt-ids", "1", "--dtype", "f8", "--out", out).code());
        assertEquals(2, run("trace", "--model", dir.toString(), "--out", out).code(), "a prompt is required");
        CliResult cuda = run("trace", "--model", dir.toString(), "--prompt-ids", "1", "--device", "cuda", "--out", out);
        // this build's LibTorch has no CUDA (the -Pcuda build does): device unavailable
        if (cuda.code() != 0) {
            assertEquals(3, cuda.code(), cuda.err());
            assertTrue(cuda.err().contains("--device cuda"), cuda.err());
        }
        assertFalse(Files.exists(Paths.get(out)));
    }

    private CliResult expectInvalid(Path dir, String expected) {
        Path out = tmp.resolve("bad.safetensors");
        CliResult r = run("trace", "--model", dir.toString(), "--prompt-ids", "5,6,7", "--max-new-tokens", "2", "--out",
                out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(Files.exists(out));
        return r;
    }

    /** A copy of a shared model folder, with its config edited. */
    private Path copy(String name, Consumer<ObjectNode> editConfig) throws IOException {
        Path src = SharedData.model(name);
        Path d = Files.createTempDirectory(tmp, name);
        ObjectNode c = (ObjectNode) JSON.readTree(src.resolve("config.json").toFile());
        if (editConfig != null) {
            editConfig.accept(c);
        }
        Files.writeString(d.resolve("config.json"), c.toString());
        Files.copy(src.resolve("model.safetensors"), d.resolve("model.safetensors"));
        return d;
    }

    /** Rewrites model.safetensors with one tensor given another dtype/shape (same bytes), or dropped (null). */
    private static void rewrite(Path d, String name, DType dtype, long[] shape) throws IOException {
        Path f = d.resolve("model.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile in = SafetensorsFile.open(f)) {
            for (TensorInfo t : in.tensors().values()) {
                ByteBuffer data = in.data(t.name());
                if (!t.name().equals(name)) {
                    w.add(t.name(), t.dtype(), t.shape(), copyOf(data));
                } else if (dtype != null) {
                    w.add(t.name(), dtype, shape, copyOf(data));
                }
            }
        }
        w.write(f);
    }

    private static ByteBuffer copyOf(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        c.put(b.duplicate()).flip();
        return c;
    }
}
