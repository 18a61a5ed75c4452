package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.eval.VerdictFields;
import dev.mipeaks.study.RunFolder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ttts's result lines as records write the bytes of the ObjectNode code they replace: that code is kept here as the
 * reference, with what it asked the scaling context for (texts, verdicts) passed in.
 */
class TttsLineTest {
    private static final DatasetRecord R = new DatasetRecord(7, "t/7", "p", "", "42", "Geometry", 3, Map.of());

    private static TttsLine.Cell cell(int budget, boolean baseline) {
        return new TttsLine.Cell(budget, 100 + budget, new int[] {9, 8}, 2, "eos", "\\boxed{" + budget + "}",
                VerdictFields.Graded.of(GradingRules.PAPER, RrLineTest.verdicts()), baseline ? 5 : null,
                baseline ? null : 6, baseline ? null : "max_new_tokens");
    }

    /** The old cellNode, its verdict fields as Grading.putVerdicts wrote them. */
    private static ObjectNode oldCell(TttsLine.Cell c) {
        ObjectNode n = RunFolder.JSON.createObjectNode();
        n.put("budget", c.budget());
        n.put("context_tokens", c.contextTokens());
        n.set("phase3_ids", TttsRunner.array(c.phase3Ids()));
        n.put("phase3_tokens", c.phase3Ids().length);
        n.put("phase3_stop", c.phase3Stop());
        n.put("final", c.fin());
        Grading.putVerdicts(n, GradingRules.PAPER, RrLineTest.verdicts());
        if (c.continuationTokens() != null) {
            n.put("continuation_tokens", c.continuationTokens());
        } else {
            n.put("phase2_tokens", c.phase2Tokens());
            n.put("phase2_stop", c.phase2Stop());
        }
        return n;
    }

    @Test
    void baselineLineWritesTheTreeCodesBytes() throws Exception {
        for (boolean withBaseline : new boolean[] {true, false}) {
            List<TttsLine.Cell> cells = withBaseline ? List.of(cell(16, true), cell(32, true)) : List.of();
            TttsLine.Baseline line = new TttsLine.Baseline(TttsRunner.BASELINE, RrLine.Problem.of(R), 11,
                    new int[] {1, 2, 3}, 3, "max_new_tokens", "x = \"2\"", cells,
                    withBaseline ? new int[] {1, 2, 3, 4} : null, withBaseline ? "eos" : null, 8, 12.5);
            ObjectNode l = RunFolder.JSON.createObjectNode();
            l.put("token", TttsRunner.BASELINE);
            Grading.putRecord(l, R);
            l.put("prompt_tokens", 11);
            l.set("phase1_ids", TttsRunner.array(new int[] {1, 2, 3}));
            l.put("phase1_tokens", 3);
            l.put("phase1_stop", "max_new_tokens");
            l.put("phase1_text", "x = \"2\"");
            ArrayNode a = l.putArray("cells");
            if (withBaseline) {
                l.set("continuation_ids", TttsRunner.array(new int[] {1, 2, 3, 4}));
                l.put("continuation_stop", "eos");
                cells.forEach(c -> a.add(oldCell(c)));
            }
            l.put("generated_tokens", 8L);
            l.put("generation_ms", 12.5);
            assertEquals(RunFolder.JSON.writeValueAsString(l), RunFolder.JSON.writeValueAsString(line));
        }
    }

    @Test
    void tokenLineWritesTheTreeCodesBytes() throws Exception {
        List<TttsLine.Cell> cells = List.of(cell(16, false), cell(32, false));
        TttsLine.Token line = new TttsLine.Token("Wait", RrLine.Problem.of(R), 11, 3, "max_new_tokens",
                new int[] {14524}, 15, 9, new int[] {5, 6}, "stop_string", "so", cells, 6, 0.25);
        ObjectNode l = RunFolder.JSON.createObjectNode();
        l.put("token", "Wait");
        Grading.putRecord(l, R);
        l.put("prompt_tokens", 11);
        l.put("phase1_tokens", 3);
        l.put("phase1_stop", "max_new_tokens");
        l.set("wait_ids", TttsRunner.array(new int[] {14524}));
        l.put("phase2_prompt_tokens", 15);
        l.put("final_prompt_tokens", 9);
        l.set("phase2_ids", TttsRunner.array(new int[] {5, 6}));
        l.put("phase2_stop", "stop_string");
        l.put("phase2_text", "so");
        ArrayNode a = l.putArray("cells");
        cells.forEach(c -> a.add(oldCell(c)));
        l.put("generated_tokens", 6L);
        l.put("generation_ms", 0.25);
        assertEquals(RunFolder.JSON.writeValueAsString(l), RunFolder.JSON.writeValueAsString(line));
    }
}
