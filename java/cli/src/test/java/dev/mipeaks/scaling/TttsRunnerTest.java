package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.SharedData;
import dev.mipeaks.cli.Main;
import dev.mipeaks.eval.DatasetLoader;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.Prompts;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.ModelConfig;
import dev.mipeaks.model.Tokenizer;
import dev.mipeaks.report.TttsReport;
import dev.mipeaks.study.RunFolder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TTTS on tiny-qwen2 through the CLI with {@code --context ids}: every phase's token count respects its budget
 * exactly, every (token, budget) cell is present, and the prefix-reusing sweep equals regenerating each cell from
 * scratch (three calls, ids joined). {@link TttsTextContextTest} covers the reference's text construction.
 * Phase 1 is cut by the base budget on problem 0 and ends with EOS on problem 1, so both joins are exercised.
 */
class TttsRunnerTest {
    static final int BASE = 24;
    static final int[] BUDGETS = {4, 12};
    static final List<String> TOKENS = List.of("So", "Let");

    @TempDir
    static Path tmp;
    static Path model;
    static Path out;
    static List<JsonNode> lines;

    @BeforeAll
    static void run() throws Exception {
        if (SharedData.root() == null) {
            return;
        }
        model = SharedData.require("models/tiny-qwen2");
        Path table = SharedData.require("data/" + ThinkingTable.DEFAULT_RELATIVE);
        out = tmp.resolve("ttts");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), "ttts", "--model", model.toString(), "--dataset",
                "math500", "--data-dir", SharedData.root().resolve("data").toString(), "--limit", "2",
                "--thinking-tokens", table.toString(), "--top-words", "2", "--budget", "12,4", "--base-budget",
                Integer.toString(BASE), "--context", "ids", "--out", out.toString());
        assertEquals(0, code, e.toString());
        assertTrue(e.toString().contains("ETA"), e.toString());
        lines = new ArrayList<>();
        for (String s : Files.readAllLines(out.resolve(RunFolder.RESULTS))) {
            lines.add(RunFolder.JSON.readTree(s));
        }
    }

    static int[] ints(JsonNode a) {
        return TttsRunner.ints(a);
    }

    static int kept(int[] ids, ModelConfig c) {
        return ids.length > 0 && c.isEos(ids[ids.length - 1]) ? ids.length - 1 : ids.length;
    }

    @Test
    void phasesRespectTheirBudgetsAndEveryCellIsPresent() throws Exception {
        SharedData.require("models/tiny-qwen2");
        ModelConfig c = ModelConfig.load(model);
        assertEquals(2 * (TOKENS.size() + 1), lines.size());
        Map<String, JsonNode> byKey = new HashMap<>();
        for (JsonNode l : lines) {
            byKey.put(TttsRunner.key(l.path("index").asInt(), l.path("token").asText()), l);
        }
        boolean sawEos = false;
        boolean sawCut = false;
        for (int index = 0; index < 2; index++) {
            JsonNode base = byKey.get(TttsRunner.key(index, TttsRunner.BASELINE));
            int[] p1 = ints(base.get("phase1_ids"));
            int prompt = base.path("prompt_tokens").asInt();
            assertTrue(p1.length <= BASE);
            assertEquals(p1.length == BASE && !c.isEos(p1[BASE - 1]) ? "max_new_tokens" : "eos",
                    base.path("phase1_stop").asText());
            sawEos |= base.path("phase1_stop").asText().equals("eos");
            sawCut |= p1.length == BASE;
            int[] cont = ints(base.get("continuation_ids"));
            assertArrayEquals(p1, Arrays.copyOf(cont, Math.min(cont.length, p1.length)), "phase 1 = head of the baseline");
            assertEquals(BUDGETS.length, base.get("cells").size());
            for (int i = 0; i < BUDGETS.length; i++) {
                JsonNode cell = base.get("cells").get(i);
                assertEquals(BUDGETS[i], cell.path("budget").asInt());
                int n = Math.min(BASE + BUDGETS[i], cont.length);
                assertEquals(n, cell.path("continuation_tokens").asInt());
                int finalLen = 0;
                for (JsonNode l : lines) {
                    if (!l.path("token").asText().equals(TttsRunner.BASELINE)) {
                        finalLen = l.path("final_prompt_tokens").asInt();
                    }
                }
                assertEquals(prompt + kept(Arrays.copyOf(cont, n), c) + finalLen, cell.path("context_tokens").asInt());
                assertPhase3(cell);
            }
            for (String t : TOKENS) {
                JsonNode l = byKey.get(TttsRunner.key(index, t));
                assertEquals(p1.length, l.path("phase1_tokens").asInt());
                int[] p2 = ints(l.get("phase2_ids"));
                assertTrue(p2.length <= BUDGETS[BUDGETS.length - 1]);
                int wait = l.get("wait_ids").size();
                assertEquals(1 + t.length(), wait, "byte-level: ' ' + word, one id per byte");
                assertEquals(BUDGETS.length, l.get("cells").size());
                for (int i = 0; i < BUDGETS.length; i++) {
                    JsonNode cell = l.get("cells").get(i);
                    assertEquals(BUDGETS[i], cell.path("budget").asInt());
                    int n = Math.min(BUDGETS[i], p2.length);
                    assertEquals(n, cell.path("phase2_tokens").asInt());
                    assertEquals(prompt + kept(p1, c) + wait + kept(Arrays.copyOf(p2, n), c)
                            + l.path("final_prompt_tokens").asInt(), cell.path("context_tokens").asInt());
                    assertPhase3(cell);
                }
            }
        }
        assertTrue(sawEos && sawCut, "expected one phase 1 cut by the budget and one ended by EOS");
        JsonNode metrics = read(out.resolve(RunFolder.METRICS));
        for (String row : List.of("So", "Let", TttsRunner.BASELINE)) {
            for (int b : BUDGETS) {
                assertTrue(metrics.path("accuracy").path(row).has(Integer.toString(b)), row + " " + b);
                assertEquals(2, metrics.path("grades").path(row).path(Integer.toString(b)).path("total").asInt());
            }
        }
        assertTrue(Files.size(out.resolve(TttsReport.PLOTS).resolve(TttsReport.FIGURE + ".png")) > 1000);
        assertTrue(Files.size(out.resolve(TttsReport.PLOTS).resolve(TttsReport.FIGURE + ".svg")) > 1000);
    }

    private static void assertPhase3(JsonNode cell) {
        int n = cell.path("phase3_tokens").asInt();
        assertEquals(n, cell.get("phase3_ids").size());
        assertTrue(n <= TttsRunner.FINAL_TOKENS);
        assertTrue(n == TttsRunner.FINAL_TOKENS || cell.path("phase3_stop").asText().equals("eos"), cell.toString());
    }

    static JsonNode read(Path p) {
        try {
            return RunFolder.JSON.readTree(p.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void prefixReuseEqualsRegeneratingEachCell() {
        SharedData.require("models/tiny-qwen2");
        List<DatasetRecord> recs = new DatasetLoader().withDataRoot(SharedData.root().resolve("data")).withLimit(2)
                .load("math500").records();
        try (LlamaModel m = LlamaModel.load(model, LlamaModel.Options.defaults()); Tokenizer tok = Tokenizer.load(model)) {
            Generator g = new Generator(m, tok);
            int[] finalIds = tok.encode(TttsRunner.FINAL_PROMPT, false);
            int compared = 0;
            for (JsonNode l : lines) {
                DatasetRecord r = recs.get(l.path("index").asInt());
                int[] prompt = tok.encode(Prompts.render("deepseek-math", r.problem(), model), true);
                assertEquals(prompt.length, l.path("prompt_tokens").asInt());
                boolean baseline = l.path("token").asText().equals(TttsRunner.BASELINE);
                int[] wait = baseline ? new int[0] : tok.encode(" " + l.path("token").asText(), false);
                int[] full = ints(baseline ? l.get("continuation_ids") : l.get("phase2_ids"));
                for (JsonNode cell : l.get("cells")) {
                    int b = cell.path("budget").asInt();
                    TttsRunner.Cell ref = TttsRunner.regenerate(g, prompt, BASE, wait, b, finalIds, baseline);
                    int n = baseline ? cell.path("continuation_tokens").asInt() : cell.path("phase2_tokens").asInt();
                    String where = l.path("token").asText() + " #" + r.index() + " budget " + b;
                    assertArrayEquals(ref.continuation().ids(), Arrays.copyOf(full, n), where + ": continuation");
                    assertEquals(ref.context().length, cell.path("context_tokens").asInt(), where + ": context");
                    assertArrayEquals(ref.answer().ids(), ints(cell.get("phase3_ids")), where + ": phase 3");
                    assertEquals(tok.decode(ref.answer().ids(), true), cell.path("final").asText());
                    compared++;
                }
            }
            assertEquals(lines.size() * BUDGETS.length, compared);
        }
    }
}
