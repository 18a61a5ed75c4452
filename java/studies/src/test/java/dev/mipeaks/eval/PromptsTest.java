package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.SharedData;
import dev.mipeaks.model.ChatTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptsTest {
    /**
     * Every template of the reference (utils.py PROMPT_TEMPLATES), rendered as its construct_prompt renders it with
     * no few-shot examples, for a question that parse_question has .strip()ped (Python whitespace: the leading
     * U+00A0 goes too). The expected strings were produced by the reference's own construct_prompt (kpmath, on
     * which it fails, by its input template and .strip(" ")).
     */
    static final Map<String, String> REFERENCE_RENDERINGS = Map.ofEntries(
            Map.entry("direct",
                    "Question: What is {input} 1+1?\nAnswer:"),
            Map.entry("cot",
                    "Question: What is {input} 1+1?\nAnswer:"),
            Map.entry("pal",
                    "Question: What is {input} 1+1?\n\n"),
            Map.entry("tool-integrated",
                    "Integrate step-by-step reasoning and Python code to solve math problems using the following guideli"
                        + "nes:\n\n- Analyze the question and write functions to solve the problem; the function should not ta"
                        + "ke any arguments.\n- Present the final result in LaTeX using a `\boxed{}` without any units.\n- Uti"
                        + "lize the `pi` symbol and `Rational`` from Sympy for $\\pi$ and fractions, and simplify all fraction"
                        + "s and square roots without converting them to decimal values.\n\nHere are some examples you may ref"
                        + "er to:\n\n---\n\nQuestion: What is {input} 1+1?\n\nSolution:\n"),
            Map.entry("self-instruct",
                    "<|user|>\nWhat is {input} 1+1?\n<|assistant|>\n"),
            Map.entry("tora",
                    "Integrate step-by-step reasoning and Python code to solve math problems using the following guideli"
                        + "nes:\n\n- Analyze the question and write functions to solve the problem; the function should not ta"
                        + "ke any arguments.\n- Present the final result in LaTeX using a `\boxed{}` without any units.\n- Uti"
                        + "lize the `pi` symbol and `Rational`` from Sympy for $\\pi$ and fractions, and simplify all fraction"
                        + "s and square roots without converting them to decimal values.\n\nHere are some examples you may ref"
                        + "er to:\n\n---\n\n<|user|>\nWhat is {input} 1+1?\n<|assistant|>\n"),
            Map.entry("wizard_zs",
                    "### Instruction:\nWhat is {input} 1+1?\n\n### Response: Let's think step by step."),
            Map.entry("platypus_fs",
                    "Below is an instruction that describes a task. Write a response that appropriately completes the re"
                        + "quest.\n\n### Instruction:\n### Instruction:\nWhat is {input} 1+1?\n\n### Response:\n\n\n### Respon"
                        + "se:\n"),
            Map.entry("deepseek-math",
                    "User: What is {input} 1+1?\nPlease reason step by step, and put your final answer within \\boxed{}."
                        + "\n\nAssistant:"),
            Map.entry("kpmath",
                    "User: Please reason step by step and put your final answer at the end with \"The answer is: \".\n\n"
                        + "What is {input} 1+1?\n\nAssistant:"),
            Map.entry("jiuzhang",
                    "## Question\nWhat is {input} 1+1?\n\n## Solution\n"),
            Map.entry("jiuzhang_tora",
                    "## Question\nWhat is {input} 1+1?\n\n## Code Solution\n"),
            Map.entry("jiuzhang_nl",
                    "## Question\nWhat is {input} 1+1?\n\n## Natural Language Solution\n"),
            Map.entry("mmiqc",
                    "Please solve the following problem and put your answer at the end with \"The answer is: \".\n\nWhat"
                        + " is {input} 1+1?\n\n"),
            Map.entry("abel",
                    "Question:\nWhat is {input} 1+1?\nAnswer:\nLet's think step by step.\n"),
            Map.entry("shepherd",
                    "What is {input} 1+1?\n"),
            Map.entry("qwen-boxed",
                    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is {input} 1+1?"
                        + "\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>as"
                        + "sistant\n"),
            Map.entry("qwen25-math-cot",
                    "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end"
                        + "|>\n<|im_start|>user\nWhat is {input} 1+1?<|im_end|>\n<|im_start|>assistant\n"),
            Map.entry("mathstral",
                    "What is {input} 1+1?\nPlease reason step by step, and put your final answer within \\boxed{}."),
            Map.entry("internlm-math-fs",
                    "Question:What is {input} 1+1?\nAnswer:"),
            Map.entry("internlm-math-chat",
                    "<|im_start|>user\nWhat is {input} 1+1?<|im_end|>\n<|im_start|>assistant\n"),
            Map.entry("mistral",
                    "[INST] What is {input} 1+1?[/INST]"),
            Map.entry("numina",
                    "### Problem: What is {input} 1+1?\n### Solution:")
    );

    @Test
    void everyReferenceTemplateByItsName() {
        String question = "\u00a0 What is {input} 1+1? \n";
        assertEquals(REFERENCE_RENDERINGS.keySet(), new java.util.HashSet<>(Prompts.referenceNames()));
        assertEquals(23, Prompts.referenceNames().size());
        for (Map.Entry<String, String> e : REFERENCE_RENDERINGS.entrySet()) {
            assertEquals(e.getValue(), Prompts.render(e.getKey(), question, null), e.getKey());
            assertTrue(Prompts.NAMES.contains(e.getKey()), e.getKey());
        }
    }

    @Test
    void fixedTemplates() {
        assertEquals("User: 1+1?\nPlease reason step by step, and put your final answer within \\boxed{}.\n\nAssistant:",
                Prompts.render("deepseek-math", "1+1?", null));
        // qwen-boxed is the reference's qwen-boxed (a system prompt, the instruction after the question) ...
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n1+1?\n"
                + "Please reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n"
                + "<|im_start|>assistant\n", Prompts.render("qwen-boxed", "1+1?", null));
        // ... and qwen25-math-cot the one with the instruction as the system prompt
        assertEquals("<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}."
                + "<|im_end|>\n<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n",
                Prompts.render("qwen25-math-cot", "1+1?", null));
        // the question is .strip()ped as parse_question does (Python whitespace, U+2007 included)
        assertEquals("[INST] 1+1?[/INST]", Prompts.render("mistral", "\u2007\t1+1?\r\n\u3000", null));
        assertEquals("  as is {input} ", Prompts.render("raw", "  as is {input} ", null));
        assertThrows(MipeaksException.class, () -> Prompts.byName("nope", null));
        assertThrows(MipeaksException.class, () -> Prompts.byName("chat", null));
        List<String> helpWords = List.of(Prompts.NAMES_HELP.split("[\\s,;()]+"));
        for (String n : Prompts.NAMES) {
            assertTrue(helpWords.contains(n), n);
        }
    }

    @Test
    void llama3ChatTemplate() {
        Path dir = SharedData.require("tokenizers").resolve("llama3");
        String out = Prompts.render("chat", "  What is 1+1?  ", dir);
        // content | trim, bos before the first message, the assistant header as generation prompt
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 1+1?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", out);
    }

    @Test
    void qwen3ChatTemplate() {
        Path dir = SharedData.require("tokenizers").resolve("qwen3");
        ChatTemplate t = ChatTemplate.fromTokenizerConfig(dir);
        assertEquals("<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n", t.renderUser("What is 1+1?"));
        // a multi-turn conversation exercises namespace(), messages[::-1], startswith, split, strip, lstrip
        String conv = t.render(List.of(
                Map.of("role", "system", "content", "Be brief."),
                Map.of("role", "user", "content", "Hi"),
                Map.of("role", "assistant", "content", "<think>\nhmm\n</think>\n\nHello!"),
                Map.of("role", "user", "content", "2+2?")), true);
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n", conv);
        String last = t.render(List.of(
                Map.of("role", "user", "content", "Hi"),
                Map.of("role", "assistant", "content", "<think>\nhmm\n</think>\n\nHello!")), false);
        assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\nhmm\n</think>\n\nHello!<|im_end|>\n", last);
    }

    /** A DeepSeek-R1-Distill style template (shared/ has no DeepSeek tokenizer_config.json). */
    static final String DEEPSEEK_STYLE = "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}"
            + "{% set ns = namespace(is_first=false, system_prompt='') %}"
            + "{%- for message in messages %}{%- if message['role'] == 'system' %}{% set ns.system_prompt = message['content'] %}"
            + "{%- endif %}{%- endfor %}{{ bos_token }}{{ ns.system_prompt }}"
            + "{%- for message in messages %}"
            + "{%- if message['role'] not in ['system', 'user', 'assistant'] %}{{ raise_exception('Unknown role: ' + message['role']) }}{% endif %}"
            + "{%- if message['role'] == 'user' %}{{ '<｜User｜>' + message['content'].strip() }}{%- endif %}"
            + "{%- if message['role'] == 'assistant' %}{% set content = message['content'] %}"
            + "{% if '</think>' in content %}{% set content = content.split('</think>')[-1] %}{% endif %}"
            + "{{ '<｜Assistant｜>' + content | trim + '<｜end▁of▁sentence｜>' }}{%- endif %}"
            + "{%- endfor %}{% if add_generation_prompt %}{{ '<｜Assistant｜><think>\\n' }}{% endif %}";

    @Test
    void deepSeekStyleTemplate(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(Map.of("chat_template", DEEPSEEK_STYLE,
                        "bos_token", Map.of("__type", "AddedToken", "content", "<｜begin▁of▁sentence｜>"),
                        "eos_token", Map.of("content", "<｜end▁of▁sentence｜>"))));
        ChatTemplate t = ChatTemplate.fromTokenizerConfig(dir);
        assertEquals("<｜begin▁of▁sentence｜>", t.bosToken());
        assertEquals("<｜begin▁of▁sentence｜><｜User｜>Solve x+1=2.<｜Assistant｜><think>\n", t.renderUser("  Solve x+1=2.\n"));
        String conv = t.render(List.of(Map.of("role", "system", "content", "SYS"),
                Map.of("role", "user", "content", "Q"),
                Map.of("role", "assistant", "content", "thinking</think> A ")), false);
        assertEquals("<｜begin▁of▁sentence｜>SYS<｜User｜>Q<｜Assistant｜>A<｜end▁of▁sentence｜>", conv);
        MipeaksException e = assertThrows(MipeaksException.class,
                () -> t.render(List.of(Map.of("role", "robot", "content", "x")), true));
        assertTrue(e.getMessage().contains("Unknown role: robot"), e.getMessage());
    }

    @Test
    void pythonStringMethods() {
        ChatTemplate t = new ChatTemplate("{{ messages[0].content.lstrip('x').rstrip() }}|{{ 'a,b,c'.split(',')[-1] }}|"
                + "{{ 'abc'.startswith('ab') }}|{{ 'abc'.endswith('x') }}|{{ ' y '.strip() }}|{{ 'A b'.upper() }}|"
                + "{{ '-'.join(['p','q']) }}|{{ 'a a'.replace('a','b') }}", null, null, "inline");
        assertEquals("yy|c|true|false|y|A B|p-q|b b", t.renderUser("xxyy  "));
    }

    @Test
    void missingChatTemplateIsAnError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": null}");
        MipeaksException e = assertThrows(MipeaksException.class, () -> Prompts.byName("chat", dir));
        assertTrue(e.getMessage().contains("no chat_template"), e.getMessage());
    }
}
