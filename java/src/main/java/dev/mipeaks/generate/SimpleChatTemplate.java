package dev.mipeaks.generate;

import dev.mipeaks.MipeaksException;
import java.util.function.Predicate;

/**
 * Fixed single-turn chat templates, chosen by the special tokens a vocabulary has (no Jinja): DeepSeek-R1 distills
 * ({@code <｜User｜>}), ChatML as in Qwen ({@code <|im_start|>}), Llama 3 ({@code <|start_header_id|>}).
 * The texts follow each model's tokenizer_config.json chat_template with add_generation_prompt=True, without a
 * system message.
 */
public final class SimpleChatTemplate implements PromptRenderer {
    private final String before;
    private final String after;
    private final String name;

    private SimpleChatTemplate(String name, String before, String after) {
        this.name = name;
        this.before = before;
        this.after = after;
    }

    /** Picks the template from which special tokens exist ({@code hasToken} answers for raw vocabulary pieces). */
    public static SimpleChatTemplate forVocabulary(Predicate<String> hasToken, String where) {
        if (hasToken.test("<｜User｜>") && hasToken.test("<｜Assistant｜>")) {
            return new SimpleChatTemplate("deepseek-r1", "<｜begin▁of▁sentence｜><｜User｜>", "<｜Assistant｜><think>\n");
        }
        if (hasToken.test("<|im_start|>") && hasToken.test("<|im_end|>")) {
            return new SimpleChatTemplate("chatml", "<|im_start|>user\n", "<|im_end|>\n<|im_start|>assistant\n");
        }
        if (hasToken.test("<|start_header_id|>") && hasToken.test("<|eot_id|>")) {
            return new SimpleChatTemplate("llama3", "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n",
                    "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
        }
        throw MipeaksException.invalid(where + ": no known chat template for this vocabulary (none of <｜User｜>, "
                + "<|im_start|>, <|start_header_id|>); give the prompt text without --chat-template");
    }

    public String name() {
        return name;
    }

    @Override
    public String render(String userMessage) {
        return before + userMessage + after;
    }
}
