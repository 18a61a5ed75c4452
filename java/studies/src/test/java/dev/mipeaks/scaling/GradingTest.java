package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.AnswerExtractor;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.eval.Rule;
import dev.mipeaks.eval.Verdict;
import dev.mipeaks.eval.VerdictFields;
import dev.mipeaks.study.RunFolder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A result line keeps the whole verdict, the reason of an undecided answer included, and gives it back. */
class GradingTest {
    @Test
    void verdictRoundTripsThroughALine() {
        for (Verdict v : new Verdict[] {
            new Verdict(true, Rule.NUMERIC, "5", "5", AnswerExtractor.Method.BOXED),
            new Verdict(false, Rule.UNDECIDED, "1".repeat(20), "5", AnswerExtractor.Method.LAST_NUMBER,
                    "answer has 20 characters, over the 10-character cap"),
            new Verdict(false, Rule.TIMEOUT, "x", "5", AnswerExtractor.Method.FINAL_ANSWER,
                    "time budget of 10 s ran out in the CAS"),
            new Verdict(false, Rule.NONE, null, "5", AnswerExtractor.Method.NONE)}) {
            ObjectNode line = RunFolder.JSON.createObjectNode();
            Grading.putVerdicts(line, GradingRules.STRICT, Map.of(GradingRules.STRICT, v, GradingRules.PAPER, v));
            assertTrue(line.has("reason") && line.path("by_rules").path("paper").has("reason"), line.toString());
            assertEquals(v, VerdictFields.read(line, GradingRules.STRICT, "5"), line.toString());
            assertEquals(v, VerdictFields.read(line, GradingRules.PAPER, "5"), line.toString());
        }
        // lines written before verdicts had a reason
        ObjectNode old = RunFolder.JSON.createObjectNode();
        old.put("prediction", "4").put("correct", false).put("rule", "numeric").put("extraction", "boxed");
        assertEquals(new Verdict(false, Rule.NUMERIC, "4", "5", AnswerExtractor.Method.BOXED), VerdictFields.read(old, GradingRules.STRICT, "5"));
    }
}
