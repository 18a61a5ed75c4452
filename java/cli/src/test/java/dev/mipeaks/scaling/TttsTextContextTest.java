package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.SharedData;
import dev.mipeaks.cli.Main;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.study.RunFolder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ttts --context text}: the reference's prompt construction (TTTS_evaluate.py, batch_TTTS_generation), end to
 * end on tiny-qwen2 with {@code --rules paper}.
 */
class TttsTextContextTest {
    static final String Q = "User: What is 1+1?\nPlease reason step by step, and put your final answer within \\boxed{}."
            + "\n\nAssistant:";

    /** The strings the reference builds for given outputs: f'{q} {a} {token}', then q2 + a2 + the final prompt. */
    @Test
    void promptsAreTheReferenceStrings() {
        String out1 = "\n Let me add. 1+1 = 2.  \n";
        String q2 = TttsRunner.phase2Prompt(Q, out1, "Wait");
        assertEquals(Q + " Let me add. 1+1 = 2. Wait", q2);
        String out2 = ", is that right? Yes.\n\n";
        assertEquals(Q + " Let me add. 1+1 = 2. Wait, is that right? Yes. Final Answer within \\boxed{}:",
                TttsRunner.phase3Prompt(q2, out2));
        // a phase-2 output starting with a word: no space is added between " Wait" and it (the reference's q + a)
        assertEquals(Q + " x WaitSo 2. Final Answer within \\boxed{}:",
                TttsRunner.phase3Prompt(TttsRunner.phase2Prompt(Q, "x", "Wait"), " So 2."));
        // Python's strip(): U+00A0 and U+2007 are whitespace to it (not to Java's String.strip())
        assertEquals(Q + " 2 Hmm", TttsRunner.phase2Prompt(Q, "\u00a02\u2007", "Hmm"));
        assertEquals(Q + " 2 Final Answer within \\boxed{}:", TttsRunner.baselineFinalPrompt(Q, " 2\n"));
        assertEquals(TttsRunner.Context.TEXT, TttsRunner.Context.parse("text"));
        assertEquals(TttsRunner.Context.IDS, TttsRunner.Context.parse("IDS"));
    }

    @Test
    void textContextEndToEndWithPaperRules(@TempDir Path tmp) throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        Path data = SharedData.require("data");
        Path out = tmp.resolve("ttts");
        int base = 12;
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), "ttts", "--model", model.toString(), "--dataset",
                "math500", "--data-dir", data.toString(), "--limit", "2", "--thinking-token", "Wait", "--budget", "3,9",
                "--base-budget", Integer.toString(base), "--context", "text", "--rules", "paper", "--out", out.toString());
        assertEquals(0, code, e.toString());
        assertTrue(o.toString().contains("under paper rules"), o.toString());
        JsonNode cfg = RunFolder.JSON.readTree(out.resolve(RunFolder.CONFIG).toFile());
        assertEquals("text", cfg.path("context").asText());
        JsonNode metrics = RunFolder.JSON.readTree(out.resolve(RunFolder.METRICS).toFile());
        assertEquals("paper", metrics.path("rules").asText());
        for (String rules : List.of("strict", "paper")) {
            assertEquals(2, metrics.path("grades_by_rules").path(rules).path("Wait").path("3").path("total").asInt(),
                    metrics.toString());
        }
        String md = Files.readString(out.resolve(RunFolder.REPORT));
        assertTrue(md.contains("paper rules / strict rules"), md);

        List<JsonNode> lines = new ArrayList<>();
        for (String s : Files.readAllLines(out.resolve(RunFolder.RESULTS))) {
            lines.add(RunFolder.JSON.readTree(s));
        }
        assertEquals(4, lines.size());
        var o2 = new ScalingContext.Options(dev.mipeaks.model.ModelSource.folder(model), "math500", data, 0, 2,
                "deepseek-math", "cpu", null, null, true, false, GradingRules.PAPER);
        int compared = 0;
        try (ScalingContext ctx = ScalingContext.open(o2)) {
            ctx.loadModel(ctx.dataset().records(), 0, 0, "nothing generated",
                    new java.io.PrintWriter(java.io.Writer.nullWriter()));
            List<DatasetRecord> recs = ctx.dataset().records();
            for (JsonNode l : lines) {
                DatasetRecord r = recs.get(l.path("index").asInt());
                boolean baseline = l.path("token").asText().equals(TttsRunner.BASELINE);
                if (!baseline) {
                    // the phase-2 prompt is the text f'{q} {a} Wait', tokenized whole
                    String q2 = TttsRunner.phase2Prompt(ctx.promptText(r), ctx.outputText(
                            Arrays.copyOf(TttsRunnerTest.ints(lines.stream().filter(x -> x.path("index").asInt()
                                    == r.index() && x.path("token").asText().equals(TttsRunner.BASELINE)).findFirst()
                                    .orElseThrow().get("phase1_ids")), base)), "Wait");
                    assertEquals(ctx.encodeText(q2).length, l.path("phase2_prompt_tokens").asInt());
                }
                for (JsonNode cell : l.get("cells")) {
                    int b = cell.path("budget").asInt();
                    // every verdict names its rules; the headline is the paper's
                    assertEquals("paper", cell.path("rules").asText());
                    assertEquals("strict", cell.path("by_rules").path("strict").path("rules").asText());
                    assertEquals(cell.path("correct"), cell.path("by_rules").path("paper").path("correct"));
                    // the shared-prefix sweep equals the reference's three calls from scratch
                    TttsRunner.Cell ref = TttsRunner.regenerateText(ctx, r, base, baseline ? null : "Wait", b);
                    String where = l.path("token").asText() + " #" + r.index() + " budget " + b;
                    assertEquals(ref.context().length, cell.path("context_tokens").asInt(), where);
                    assertArrayEquals(ref.answer().ids(), TttsRunnerTest.ints(cell.get("phase3_ids")), where);
                    assertEquals(ctx.outputText(ref.answer().ids()), cell.path("final").asText(), where);
                    compared++;
                }
            }
        }
        assertEquals(8, compared);
    }

    /** The two constructions differ in their token sequences (the joins are re-tokenized under text). */
    @Test
    void textAndIdsContextsBuildDifferentSequences(@TempDir Path tmp) throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        Path data = SharedData.require("data");
        List<Integer> ctxLens = new ArrayList<>();
        for (String mode : List.of("text", "ids")) {
            Path out = tmp.resolve(mode);
            StringWriter e = new StringWriter();
            int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(e), "ttts", "--model",
                    model.toString(), "--dataset", "math500", "--data-dir", data.toString(), "--limit", "1",
                    "--thinking-token", "Wait", "--budget", "6", "--base-budget", "6", "--no-baseline", "--context",
                    mode, "--out", out.toString());
            assertEquals(0, code, e.toString());
            for (String s : Files.readAllLines(out.resolve(RunFolder.RESULTS))) {
                JsonNode l = RunFolder.JSON.readTree(s);
                if (l.path("token").asText().equals("Wait")) {
                    ctxLens.add(l.path("phase2_prompt_tokens").asInt());
                }
            }
        }
        assertEquals(2, ctxLens.size());
        // the byte-level tokenizer: text adds the spaces of f'{q} {a} {token}' (and strips the output), ids do not
        assertFalse(ctxLens.get(0).equals(ctxLens.get(1)), ctxLens.toString());
    }
}
