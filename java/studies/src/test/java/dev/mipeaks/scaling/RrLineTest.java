package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.AnswerExtractor;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.eval.Rule;
import dev.mipeaks.eval.Verdict;
import dev.mipeaks.eval.VerdictFields;
import dev.mipeaks.generate.StopReason;
import dev.mipeaks.study.RunFolder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rr's result line as a record writes the bytes of the ObjectNode code it replaces (kept here as the reference). */
class RrLineTest {
    static Map<GradingRules, Verdict> verdicts() {
        Map<GradingRules, Verdict> all = new LinkedHashMap<>();
        all.put(GradingRules.STRICT, new Verdict(true, Rule.NUMERIC, "3", "3", AnswerExtractor.Method.BOXED));
        all.put(GradingRules.PAPER, new Verdict(false, Rule.NONE, null, "3", AnswerExtractor.Method.NONE, "too long"));
        return all;
    }

    @Test
    void writesTheTreeCodesBytes() throws Exception {
        RrRunner.Outcome oc = new RrRunner.Outcome(new int[] {1, 2}, new int[] {5, 6, 7}, StopReason.EOS, 2,
                new int[] {1}, 1_234_567, 89_000_001);
        for (DatasetRecord r : List.of(new DatasetRecord(2, "a/1", "p", "", "3", "Algebra", 4, Map.of()),
                new DatasetRecord(0, "b", "p", "", null, null, null, Map.of()))) {
            for (GradingRules headline : GradingRules.values()) {
                RrLine line = RrLine.of(r, oc, "so \"3\"", headline, verdicts());
                String json = RunFolder.JSON.writeValueAsString(line);
                assertEquals(RunFolder.JSON.writeValueAsString(oldLine(r, oc, "so \"3\"", headline, verdicts())),
                        json);
                JsonNode back = RunFolder.JSON.readTree(json);
                assertEquals(Grading.record(back).level(), r.level());
                assertEquals(verdicts().get(GradingRules.PAPER), VerdictFields.read(back, GradingRules.PAPER, "3"));
            }
        }
    }

    static ObjectNode oldLine(DatasetRecord r, RrRunner.Outcome oc, String response, GradingRules headline,
                           Map<GradingRules, Verdict> verdicts) {
        ObjectNode o = RunFolder.JSON.createObjectNode();
        Grading.putRecord(o, r);
        o.put("response", response);
        Grading.putVerdicts(o, headline, verdicts);
        o.put("prompt_tokens", oc.prompt().length);
        o.put("generated_tokens", oc.tokens().length);
        o.put("recycled_steps", oc.recycledSteps());
        o.put("regular_steps", oc.regularSteps());
        o.put("trigger_candidates", oc.triggerCandidates());
        o.set("recycled_at", RunFolder.JSON.valueToTree(oc.recycledAt()));
        o.put("stop_reason", oc.stopReason().label());
        o.put("prefill_ms", oc.prefillNanos() / 1e6);
        o.put("decode_ms", oc.decodeNanos() / 1e6);
        o.set("token_ids", RunFolder.JSON.valueToTree(oc.tokens()));
        return o;
    }
}
