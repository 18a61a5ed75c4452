package dev.mipeaks.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.AnswerExtractor;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.eval.Rule;
import dev.mipeaks.eval.Verdict;
import java.util.Locale;
import java.util.Map;

/**
 * Verdicts in result lines and back: a line stores the problem's identity (index, id, ground truth, subject, level)
 * and the verdict's fields, so metrics can be rebuilt from results.jsonl alone (also for problems finished by an
 * earlier, resumed run).
 */
final class Grading {
    private Grading() {
    }

    static void putRecord(ObjectNode o, DatasetRecord r) {
        o.put("index", r.index());
        o.put("id", r.id());
        o.put("ground_truth", r.answer());
        if (r.subject() != null) {
            o.put("subject", r.subject());
        }
        if (r.level() != null) {
            o.put("level", r.level());
        }
    }

    static void putVerdict(ObjectNode o, Verdict v) {
        o.put("prediction", v.prediction());
        o.put("correct", v.correct());
        o.put("rule", v.rule().label());
        o.put("extraction", v.extraction().name().toLowerCase(Locale.ROOT));
        o.put("reason", v.reason());
    }

    /** The problem of a line (the fields {@link #putRecord} wrote). */
    static DatasetRecord record(JsonNode line) {
        JsonNode level = line.get("level");
        JsonNode subject = line.get("subject");
        return new DatasetRecord(line.path("index").asInt(), line.path("id").asText(), "", "",
                line.path("ground_truth").asText(), subject == null ? null : subject.asText(),
                level == null || level.isNull() ? null : level.asInt(), Map.of());
    }

    /** The verdict stored in {@code v} (a line or a cell of one). */
    static Verdict verdict(JsonNode v, String groundTruth) {
        JsonNode p = v.get("prediction");
        JsonNode reason = v.get("reason");
        return new Verdict(v.path("correct").asBoolean(), Rule.valueOf(v.path("rule").asText("none").toUpperCase(Locale.ROOT)),
                p == null || p.isNull() ? null : p.asText(), groundTruth,
                AnswerExtractor.Method.valueOf(v.path("extraction").asText("none").toUpperCase(Locale.ROOT)),
                reason == null || reason.isNull() ? null : reason.asText());
    }

    static void add(GradeSummary s, JsonNode line, JsonNode verdictNode) {
        DatasetRecord r = record(line);
        s.add(r, verdict(verdictNode, r.answer()));
    }
}
