package dev.mipeaks.model;

import dev.mipeaks.MipeaksException;
import java.util.Locale;

/**
 * The precision a model computes in. Float32 is the default on every device, as in the paper's reference code
 * (it loads its models in float32 on the GPU); bf16 and f16 are opt-in and follow Hugging Face's mixed recipe (see
 * {@link LlamaModel}: RMSNorm statistics, the RoPE angles and the attention softmax in float32).
 */
public enum ComputeDtype {
    F32("f32"), BF16("bf16"), F16("f16");

    private final String cliName;

    ComputeDtype(String cliName) {
        this.cliName = cliName;
    }

    /** The name used in options and run configs: f32, bf16 or f16. */
    public String cliName() {
        return cliName;
    }

    /** {@code --dtype} as given (null: the default, f32), accepting the long names too. */
    public static ComputeDtype parse(String given) {
        if (given == null) {
            return F32;
        }
        return switch (given.trim().toLowerCase(Locale.ROOT)) {
            case "f32", "float32", "fp32" -> F32;
            case "bf16", "bfloat16" -> BF16;
            case "f16", "float16", "fp16", "half" -> F16;
            default -> throw MipeaksException.invalid("--dtype " + given + ": expected f32, bf16 or f16");
        };
    }

    /** The cli name of {@link #parse(String)}: what configs record. */
    public static String resolve(String given) {
        return parse(given).cliName;
    }
}
