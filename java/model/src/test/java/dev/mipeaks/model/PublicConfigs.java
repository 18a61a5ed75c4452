package dev.mipeaks.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The architectures of the models the paper's experiments use, from their public config.json files (the
 * DeepSeek-R1-Distill models share them): Llama-3.1-8B, Qwen2.5-14B, Qwen2.5-32B, Llama-3.3-70B. Only shapes, no
 * weights: for memory planning.
 */
public final class PublicConfigs {
    private PublicConfigs() {
    }

    public static ModelConfig llama31_8b() {
        return llama("llama-3.1-8b", 4096, 14336, 32, 32, 8);
    }

    public static ModelConfig qwen25_14b() {
        return qwen("qwen2.5-14b", 5120, 13824, 48, 40, 8);
    }

    public static ModelConfig qwen25_32b() {
        return qwen("qwen2.5-32b", 5120, 27648, 64, 40, 8);
    }

    public static ModelConfig llama33_70b() {
        return llama("llama-3.3-70b", 8192, 28672, 80, 64, 8);
    }

    private static ObjectNode common(int hidden, int inter, int layers, int heads, int kv) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.put("hidden_size", hidden);
        c.put("intermediate_size", inter);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", heads);
        c.put("num_key_value_heads", kv);
        c.put("max_position_embeddings", 131072);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", false);
        c.put("torch_dtype", "bfloat16");
        return c;
    }

    private static ModelConfig llama(String name, int hidden, int inter, int layers, int heads, int kv) {
        ObjectNode c = common(hidden, inter, layers, heads, kv);
        c.put("model_type", "llama");
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("vocab_size", 128256);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 500000.0);
        ObjectNode rs = c.putObject("rope_scaling");
        rs.put("rope_type", "llama3");
        rs.put("factor", 8.0);
        rs.put("low_freq_factor", 1.0);
        rs.put("high_freq_factor", 4.0);
        rs.put("original_max_position_embeddings", 8192);
        c.put("bos_token_id", 128000);
        c.put("eos_token_id", 128001);
        return ModelConfig.parse(c, name + "/config.json");
    }

    private static ModelConfig qwen(String name, int hidden, int inter, int layers, int heads, int kv) {
        ObjectNode c = common(hidden, inter, layers, heads, kv);
        c.put("model_type", "qwen2");
        c.putArray("architectures").add("Qwen2ForCausalLM");
        c.put("vocab_size", 152064);
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", 1000000.0);
        c.put("use_sliding_window", false);
        c.put("bos_token_id", 151643);
        c.put("eos_token_id", 151643);
        return ModelConfig.parse(c, name + "/config.json");
    }
}
