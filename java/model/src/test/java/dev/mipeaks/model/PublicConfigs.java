package dev.mipeaks.model;

/**
 * The architectures of the models the paper's experiments use, from their public config.json files (the
 * DeepSeek-R1-Distill models share them): Llama-3.1-8B, Qwen2.5-14B, Qwen2.5-32B, Llama-3.3-70B. Only shapes, no
 * weights: for memory planning.
 */
public final class PublicConfigs {
    private PublicConfigs() {
    }

    public static ModelConfig llama31_8b() {
        return llama("llama-3.1-8b", new RandomCheckpoint.Shape(4096, 14336, 32, 32, 8, 128256));
    }

    public static ModelConfig qwen25_14b() {
        return qwen("qwen2.5-14b", new RandomCheckpoint.Shape(5120, 13824, 48, 40, 8, 152064));
    }

    public static ModelConfig qwen25_32b() {
        return qwen("qwen2.5-32b", new RandomCheckpoint.Shape(5120, 27648, 64, 40, 8, 152064));
    }

    public static ModelConfig llama33_70b() {
        return llama("llama-3.3-70b", new RandomCheckpoint.Shape(8192, 28672, 80, 64, 8, 128256));
    }

    /** What both families' config.json files give besides the shape and the family's fields. */
    private static final String COMMON = """
            "torch_dtype": "bfloat16", "max_position_embeddings": 131072, "hidden_act": "silu",
            "tie_word_embeddings": false""";

    private static ModelConfig llama(String name, RandomCheckpoint.Shape shape) {
        return ConfigJson.parse(name, shape, """
                {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "rms_norm_eps": 1e-5,
                 "rope_theta": 500000.0, "rope_scaling": {"rope_type": "llama3", "factor": 8.0,
                 "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192},
                 "bos_token_id": 128000, "eos_token_id": 128001, %s}""".formatted(COMMON));
    }

    private static ModelConfig qwen(String name, RandomCheckpoint.Shape shape) {
        return ConfigJson.parse(name, shape, """
                {"model_type": "qwen2", "architectures": ["Qwen2ForCausalLM"], "rms_norm_eps": 1e-6,
                 "rope_theta": 1000000.0, "use_sliding_window": false, "bos_token_id": 151643,
                 "eos_token_id": 151643, %s}""".formatted(COMMON));
    }
}
