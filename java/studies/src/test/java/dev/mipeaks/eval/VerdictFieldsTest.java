package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verdict fields of result lines as a record: the bytes the ObjectNode code wrote, and read back equal. */
class VerdictFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The code putOne had before it wrote a record (the reference for the bytes). */
    private static void oldPutOne(ObjectNode o, GradingRules rules, Verdict v) {
        o.put("rules", rules.label());
        o.put("prediction", v.prediction());
        o.put("correct", v.correct());
        o.put("rule", v.rule().label());
        o.put("extraction", v.extraction().name().toLowerCase(Locale.ROOT));
        o.put("reason", v.reason());
    }

    private static Map<GradingRules, Verdict> verdicts() {
        Map<GradingRules, Verdict> all = new LinkedHashMap<>();
        all.put(GradingRules.STRICT, new Verdict(false, Rule.NUMERIC, "1/2", "0.5 \"x\"", AnswerExtractor.Method.BOXED));
        all.put(GradingRules.PAPER, new Verdict(true, Rule.TIMEOUT, null, "0.5 \"x\"", AnswerExtractor.Method.NONE,
                "time budget of 10 s ran out in normalisation"));
        return all;
    }

    @Test
    void writesTheBytesOfTheTreeCode() throws Exception {
        ObjectNode line = JSON.createObjectNode().put("index", 3).put("correct", "placeholder");
        VerdictFields.put(line, GradingRules.PAPER, verdicts());
        ObjectNode old = JSON.createObjectNode().put("index", 3).put("correct", "placeholder");
        oldPutOne(old, GradingRules.PAPER, verdicts().get(GradingRules.PAPER));
        ObjectNode by = old.putObject(VerdictFields.BY_RULES);
        verdicts().forEach((r, v) -> oldPutOne(by.putObject(r.label()), r, v));
        assertEquals(JSON.writeValueAsString(old), JSON.writeValueAsString(line));
    }

    @Test
    void readsBackEveryVerdictAndOlderLines() throws Exception {
        ObjectNode line = JSON.createObjectNode().put("index", 3).put("response", "text");
        VerdictFields.put(line, GradingRules.STRICT, verdicts());
        ObjectNode read = (ObjectNode) JSON.readTree(JSON.writeValueAsString(line));
        for (GradingRules r : GradingRules.values()) {
            assertEquals(verdicts().get(r), VerdictFields.read(read, r, "0.5 \"x\""));
        }
        VerdictFields.Fields f = VerdictFields.Fields.of(GradingRules.PAPER, verdicts().get(GradingRules.PAPER));
        assertEquals(f, JSON.readValue(JSON.writeValueAsString(f), VerdictFields.Fields.class));
        // a line of a run before both rule sets: the strict verdict at the top, no "rules", no reason
        ObjectNode legacy = JSON.createObjectNode().put("prediction", "2").put("correct", true).put("rule", "string")
                .put("extraction", "boxed");
        assertEquals(new Verdict(true, Rule.STRING, "2", "2", AnswerExtractor.Method.BOXED),
                VerdictFields.read(legacy, GradingRules.STRICT, "2"));
        assertNull(VerdictFields.read(legacy, GradingRules.PAPER, "2"));
    }
}
