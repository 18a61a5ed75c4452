package dev.mipeaks.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.eval.Verdict;
import dev.mipeaks.eval.VerdictFields;
import java.util.EnumMap;
import java.util.Map;

/**
 * Verdicts in result lines and back: a line stores the problem's identity (index, id, answer = the ground truth,
 * subject, level)
 * and its verdicts under both rule sets ({@link VerdictFields}), so metrics can be rebuilt from results.jsonl alone
 * (also for problems finished by an earlier, resumed run), under either rules.
 */
public final class Grading {
    /** The ground-truth answer's field; lines written before the field names were unified call it {@link #OLD_ANSWER}. */
    static final String ANSWER = "answer";
    static final String OLD_ANSWER = "ground_truth";

    private Grading() {
    }

    /** The ground-truth answer of a line, under its current name or the name older lines used. */
    public static String answer(JsonNode line) {
        JsonNode a = line.get(ANSWER);
        return (a != null && !a.isNull() ? a : line.path(OLD_ANSWER)).asText();
    }

    static void putRecord(ObjectNode o, DatasetRecord r) {
        o.put("index", r.index());
        o.put("id", r.id());
        o.put(ANSWER, r.answer());
        if (r.subject() != null) {
            o.put("subject", r.subject());
        }
        if (r.level() != null) {
            o.put("level", r.level());
        }
    }

    static void putVerdicts(ObjectNode o, GradingRules headline, Map<GradingRules, Verdict> all) {
        VerdictFields.put(o, headline, all);
    }

    /** The problem of a line (the fields {@link #putRecord} wrote). */
    static DatasetRecord record(JsonNode line) {
        JsonNode level = line.get("level");
        JsonNode subject = line.get("subject");
        return new DatasetRecord(line.path("index").asInt(), line.path("id").asText(), "", "",
                answer(line), subject == null ? null : subject.asText(),
                level == null || level.isNull() ? null : level.asInt(), Map.of());
    }

    /** An empty summary per rule set. */
    static Map<GradingRules, GradeSummary> summaries(String dataset) {
        Map<GradingRules, GradeSummary> m = new EnumMap<>(GradingRules.class);
        for (GradingRules r : GradingRules.values()) {
            m.put(r, new GradeSummary(dataset));
        }
        return m;
    }

    /** Adds the verdicts stored in {@code verdictNode} (a line or a cell of one) to each rule set's summary. */
    static void add(Map<GradingRules, GradeSummary> s, JsonNode line, JsonNode verdictNode) {
        DatasetRecord r = record(line);
        s.forEach((rules, summary) -> {
            Verdict v = VerdictFields.read(verdictNode, rules, r.answer());
            if (v != null) {
                summary.add(r, v);
            }
        });
    }
}
