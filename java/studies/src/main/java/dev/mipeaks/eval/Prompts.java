package dev.mipeaks.eval;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.PyStr;
import dev.mipeaks.model.ChatTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Prompt templates by name: every template of the reference code ({@code PROMPT_TEMPLATES} in MI-Peaks'
 * applications/utils.py, under its name there), plus ours: {@code raw} (the problem text as is) and {@code chat}
 * (the model's own chat_template from tokenizer_config.json). Each turns a problem into the exact text fed to the
 * tokenizer.
 *
 * <p>A reference template renders as the reference's {@code construct_prompt} does with no few-shot examples: the
 * question is {@code .strip()}ped (Python whitespace, as {@code parse_question} returns it), put into the template's
 * input part, {@code platypus_fs} is wrapped in its instruction preamble, {@code tora} and {@code tool-integrated}
 * get the tool-use preamble (a non-raw Python string: its {@code `\boxed{}`} holds a backspace character, kept), and
 * the result is {@code .strip(" ")}ped (so {@code direct} ends in "Answer:" without its trailing space).
 * {@code kpmath} has no few-shot splitter in the reference, whose construct_prompt fails on it; here it renders.
 */
public final class Prompts {
    /** The reference's input templates ({@code PROMPT_TEMPLATES[name][0]} with {@code {{}}} unescaped). */
    private static final Map<String, String> REFERENCE = reference();
    public static final String DEEPSEEK_MATH = REFERENCE.get("deepseek-math");
    public static final String QWEN_BOXED = REFERENCE.get("qwen-boxed");
    public static final String QWEN25_MATH_COT = REFERENCE.get("qwen25-math-cot");
    /** Every name: the reference's templates in its order, then raw and chat. */
    public static final List<String> NAMES = names();
    /** The names for option descriptions (a compile-time constant; a test checks it lists {@link #NAMES}). */
    public static final String NAMES_HELP = "the reference's direct, cot, pal, tool-integrated, self-instruct, tora, "
            + "wizard_zs, platypus_fs, deepseek-math, kpmath, jiuzhang, jiuzhang_tora, jiuzhang_nl, mmiqc, abel, shepherd, "
            + "qwen-boxed, qwen25-math-cot, mathstral, internlm-math-fs, internlm-math-chat, mistral, numina; or raw (the "
            + "problem as is) or chat (the model's chat_template)";

    static final String TORA_PREAMBLE = "Integrate step-by-step reasoning and Python code to solve math problems using"
            + " the following guidelines:\n\n- Analyze the question and write functions to solve the problem; the"
            + " function should not take any arguments.\n- Present the final result in LaTeX using a `\boxed{}` without"
            + " any units.\n- Utilize the `pi` symbol and `Rational`` from Sympy for $\\pi$ and fractions, and simplify"
            + " all fractions and square roots without converting them to decimal values.\n\nHere are some examples you"
            + " may refer to:\n\n---\n\n";
    static final String PLATYPUS_PREAMBLE = "Below is an instruction that describes a task. Write a response that"
            + " appropriately completes the request.\n\n### Instruction:\n{instruction}\n\n### Response:\n";

    private Prompts() {
    }

    private static Map<String, String> reference() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("direct", "Question: {input}\nAnswer: ");
        m.put("cot", "Question: {input}\nAnswer: ");
        m.put("pal", "Question: {input}\n\n");
        m.put("tool-integrated", "Question: {input}\n\nSolution:\n");
        m.put("self-instruct", "<|user|>\n{input}\n<|assistant|>\n");
        m.put("tora", "<|user|>\n{input}\n<|assistant|>\n");
        m.put("wizard_zs", "### Instruction:\n{input}\n\n### Response: Let's think step by step.");
        m.put("platypus_fs", "### Instruction:\n{input}\n\n### Response:\n");
        m.put("deepseek-math", "User: {input}\nPlease reason step by step, and put your final answer within "
                + "\\boxed{}.\n\nAssistant:");
        m.put("kpmath", "User: Please reason step by step and put your final answer at the end with \"The answer is: "
                + "\".\n\n{input}\n\nAssistant:");
        m.put("jiuzhang", "## Question\n{input}\n\n## Solution\n");
        m.put("jiuzhang_tora", "## Question\n{input}\n\n## Code Solution\n");
        m.put("jiuzhang_nl", "## Question\n{input}\n\n## Natural Language Solution\n");
        m.put("mmiqc", "Please solve the following problem and put your answer at the end with \"The answer is: \"."
                + "\n\n{input}\n\n");
        m.put("abel", "Question:\n{input}\nAnswer:\nLet's think step by step.\n");
        m.put("shepherd", "{input}\n");
        m.put("qwen-boxed", "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n{input}\n"
                + "Please reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n"
                + "<|im_start|>assistant\n");
        m.put("qwen25-math-cot", "<|im_start|>system\nPlease reason step by step, and put your final answer within "
                + "\\boxed{}.<|im_end|>\n<|im_start|>user\n{input}<|im_end|>\n<|im_start|>assistant\n");
        m.put("mathstral", "{input}\nPlease reason step by step, and put your final answer within \\boxed{}.");
        m.put("internlm-math-fs", "Question:{input}\nAnswer:");
        m.put("internlm-math-chat", "<|im_start|>user\n{input}<|im_end|>\n<|im_start|>assistant\n");
        m.put("mistral", "[INST] {input}[/INST]");
        m.put("numina", "### Problem: {input}\n### Solution:");
        return Collections.unmodifiableMap(m);
    }

    private static List<String> names() {
        List<String> n = new ArrayList<>(REFERENCE.keySet());
        n.add("raw");
        n.add("chat");
        return List.copyOf(n);
    }

    /** The reference's template names (the keys of its PROMPT_TEMPLATES), in its order. */
    public static List<String> referenceNames() {
        return List.copyOf(REFERENCE.keySet());
    }

    /** Whether {@code name} is one of the reference's templates (not raw or chat). */
    public static boolean isReference(String name) {
        return REFERENCE.containsKey(name);
    }

    /** A named template; {@code chat} needs the model (or tokenizer) directory holding tokenizer_config.json. */
    public static UnaryOperator<String> byName(String name, Path modelDir) {
        String input = REFERENCE.get(name);
        if (input != null) {
            return question -> construct(name, input, question);
        }
        return switch (name) {
            case "raw" -> question -> question;
            case "chat" -> {
                if (modelDir == null) {
                    throw MipeaksException.invalid("--prompt-template chat needs the model directory (its "
                            + "tokenizer_config.json)");
                }
                ChatTemplate t = ChatTemplate.fromTokenizerConfig(modelDir);
                yield t::renderUser;
            }
            default -> throw MipeaksException.invalid("unknown prompt template '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }

    /** The reference's construct_prompt with no few-shot examples. */
    private static String construct(String name, String input, String question) {
        String full = input.replace("{input}", PyStr.strip(question));
        if (name.equals("platypus_fs")) {
            full = PLATYPUS_PREAMBLE.replace("{instruction}", full);
        }
        if (name.equals("tora") || name.equals("tool-integrated")) {
            full = TORA_PREAMBLE + full;
        }
        return PyStr.strip(full, " ");
    }

    /** Convenience: {@code byName(name, modelDir).apply(input)}. */
    public static String render(String name, String input, Path modelDir) {
        return byName(name, modelDir).apply(input);
    }
}
