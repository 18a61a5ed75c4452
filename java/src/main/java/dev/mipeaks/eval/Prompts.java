package dev.mipeaks.eval;

import dev.mipeaks.MipeaksException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Prompt templates by name: {@code deepseek-math}, {@code qwen-boxed}, {@code raw}, and {@code chat} (the model's
 * own chat_template from tokenizer_config.json). Each turns a problem into the exact text fed to the tokenizer.
 */
public final class Prompts {
    public static final String DEEPSEEK_MATH =
            "User: {input}\nPlease reason step by step, and put your final answer within \\boxed{}.\n\nAssistant:";
    public static final String QWEN_BOXED = "<|im_start|>system\nPlease reason step by step, and put your final answer"
            + " within \\boxed{}.<|im_end|>\n<|im_start|>user\n{input}<|im_end|>\n<|im_start|>assistant\n";
    public static final List<String> NAMES = List.of("deepseek-math", "qwen-boxed", "raw", "chat");

    private Prompts() {
    }

    /** A named template; {@code chat} needs the model (or tokenizer) directory holding tokenizer_config.json. */
    public static UnaryOperator<String> byName(String name, Path modelDir) {
        return switch (name) {
            case "deepseek-math" -> input -> DEEPSEEK_MATH.replace("{input}", input);
            case "qwen-boxed" -> input -> QWEN_BOXED.replace("{input}", input);
            case "raw" -> input -> input;
            case "chat" -> {
                if (modelDir == null) {
                    throw MipeaksException.invalid("--prompt chat needs the model directory (its tokenizer_config.json)");
                }
                ChatTemplate t = ChatTemplate.fromTokenizerConfig(modelDir);
                yield t::renderUser;
            }
            default -> throw MipeaksException.invalid("unknown prompt template '" + name + "' (known: " + NAMES + ")");
        };
    }

    /** Convenience: {@code byName(name, modelDir).apply(input)}. */
    public static String render(String name, String input, Path modelDir) {
        return byName(name, modelDir).apply(input);
    }
}
