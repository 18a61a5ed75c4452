package dev.mipeaks.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Builds the demo model: a seeded, randomly initialised Llama in Hugging Face layout (config.json,
 * model.safetensors, a byte-level tokenizer.json, tokenizer_config.json, generation_config.json). It has no
 * knowledge: it exists so that the whole pipeline runs with no download. Every output of a run on it says so.
 */
public final class DemoModel {
    /** Marker in config.json so that reports can say the model is the demo. */
    public static final String MARKER = "mipeaks_demo_model";

    public static final int HIDDEN = 64;
    public static final int LAYERS = 4;
    public static final int HEADS = 4;
    public static final int KV_HEADS = 2;
    public static final int FFN = 176;
    /** 5 special tokens, then one token per byte. */
    public static final int VOCAB = 5 + 256;
    public static final int BOS = 0;
    public static final int EOS = 1;

    private DemoModel() {
    }

    /** Writes the model into {@code dir} (created if needed); the same seed gives byte-identical files. */
    public static Path write(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = json.createObjectNode();
        cfg.putArray("architectures").add("LlamaForCausalLM");
        cfg.put("model_type", "llama");
        cfg.put("hidden_size", HIDDEN);
        cfg.put("intermediate_size", FFN);
        cfg.put("num_hidden_layers", LAYERS);
        cfg.put("num_attention_heads", HEADS);
        cfg.put("num_key_value_heads", KV_HEADS);
        cfg.put("vocab_size", VOCAB);
        cfg.put("max_position_embeddings", 4096);
        cfg.put("rms_norm_eps", 1e-5);
        cfg.put("rope_theta", 10000.0);
        cfg.put("hidden_act", "silu");
        cfg.put("tie_word_embeddings", true);
        cfg.put("attention_bias", false);
        cfg.put("mlp_bias", false);
        cfg.put("bos_token_id", BOS);
        cfg.put("eos_token_id", EOS);
        cfg.put("torch_dtype", "float32");
        cfg.put(MARKER, true);
        cfg.put("mipeaks_demo_seed", seed);
        AtomicFiles.writeString(dir.resolve("config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(cfg));

        ObjectNode gen = json.createObjectNode();
        gen.put("bos_token_id", BOS);
        gen.put("eos_token_id", EOS);
        gen.put("do_sample", false);
        AtomicFiles.writeString(dir.resolve("generation_config.json"), gen.toString());

        AtomicFiles.writeString(dir.resolve("tokenizer.json"), byteTokenizer(json).toString());
        ObjectNode tc = json.createObjectNode();
        tc.put("bos_token", "<|bos|>");
        tc.put("eos_token", "<|eos|>");
        tc.put("chat_template", "{{ bos_token }}{% for message in messages %}{{ message['role'] + ': ' + message['content'] + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ 'assistant: ' }}{% endif %}");
        tc.put("tokenizer_class", "PreTrainedTokenizerFast");
        AtomicFiles.writeString(dir.resolve("tokenizer_config.json"), tc.toString());

        weights(new Random(seed)).write(dir.resolve("model.safetensors"));
        return dir;
    }

    private static SafetensorsWriter weights(Random r) {
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt").metadata("note", "mipeaks demo model: random weights");
        int headDim = HIDDEN / HEADS;
        int kv = KV_HEADS * headDim;
        // embeddings large enough that greedy decoding is not a constant loop; projections ~ 1/sqrt(fan_in)
        w.addF32("model.embed_tokens.weight", new long[] {VOCAB, HIDDEN}, gaussian(r, VOCAB * HIDDEN, 1.0));
        for (int l = 0; l < LAYERS; l++) {
            String p = "model.layers." + l + ".";
            w.addF32(p + "input_layernorm.weight", new long[] {HIDDEN}, ones(HIDDEN));
            w.addF32(p + "self_attn.q_proj.weight", new long[] {HIDDEN, HIDDEN}, gaussian(r, HIDDEN * HIDDEN, 1 / Math.sqrt(HIDDEN)));
            w.addF32(p + "self_attn.k_proj.weight", new long[] {kv, HIDDEN}, gaussian(r, kv * HIDDEN, 1 / Math.sqrt(HIDDEN)));
            w.addF32(p + "self_attn.v_proj.weight", new long[] {kv, HIDDEN}, gaussian(r, kv * HIDDEN, 1 / Math.sqrt(HIDDEN)));
            w.addF32(p + "self_attn.o_proj.weight", new long[] {HIDDEN, HIDDEN}, gaussian(r, HIDDEN * HIDDEN, 1 / Math.sqrt(HIDDEN)));
            w.addF32(p + "post_attention_layernorm.weight", new long[] {HIDDEN}, ones(HIDDEN));
            w.addF32(p + "mlp.gate_proj.weight", new long[] {FFN, HIDDEN}, gaussian(r, FFN * HIDDEN, 1 / Math.sqrt(HIDDEN)));
            w.addF32(p + "mlp.up_proj.weight", new long[] {FFN, HIDDEN}, gaussian(r, FFN * HIDDEN, 1 / Math.sqrt(HIDDEN)));
            w.addF32(p + "mlp.down_proj.weight", new long[] {HIDDEN, FFN}, gaussian(r, HIDDEN * FFN, 1 / Math.sqrt(FFN)));
        }
        w.addF32("model.norm.weight", new long[] {HIDDEN}, ones(HIDDEN));
        return w;
    }

    private static float[] gaussian(Random r, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    /** A byte-level BPE tokenizer with no merges: ids 0-4 special, byte b is id 5 + b (GPT-2 byte-to-unicode names). */
    static ObjectNode byteTokenizer(ObjectMapper json) {
        ObjectNode t = json.createObjectNode();
        t.put("version", "1.0");
        t.putNull("truncation");
        t.putNull("padding");
        ArrayNode added = t.putArray("added_tokens");
        String[] specials = {"<|bos|>", "<|eos|>", "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"};
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < specials.length; i++) {
            ObjectNode a = added.addObject();
            a.put("id", i);
            a.put("content", specials[i]);
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", false);
            a.put("special", true);
            vocab.put(specials[i], i);
        }
        int[] byteToChar = bytesToUnicode();
        for (int b = 0; b < 256; b++) {
            vocab.put(new String(Character.toChars(byteToChar[b])), 5 + b);
        }
        t.putNull("normalizer");
        ObjectNode pre = t.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("trim_offsets", true);
        pre.put("use_regex", true);
        t.putNull("post_processor");
        ObjectNode dec = t.putObject("decoder");
        dec.put("type", "ByteLevel");
        dec.put("add_prefix_space", true);
        dec.put("trim_offsets", true);
        dec.put("use_regex", true);
        ObjectNode model = t.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        model.putArray("merges");
        return t;
    }

    /** GPT-2's reversible byte to printable-unicode mapping. */
    static int[] bytesToUnicode() {
        int[] out = new int[256];
        boolean[] direct = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            direct[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            direct[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            direct[b] = true;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (direct[b]) {
                out[b] = b;
            } else {
                out[b] = 256 + n++;
            }
        }
        return out;
    }
}
