package dev.mipeaks.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/**
 * Verdicts in result lines (rr, ttts, suppress) and back. A line holds the headline verdict's fields at the top
 * ({@code prediction}, {@code correct}, {@code rule}, {@code extraction}, {@code reason}) with {@code rules} naming the rule set that
 * decided them, and every rule set's verdict under {@code by_rules}, each naming its rules too:
 * <pre>{"correct": false, "rules": "strict", ..., "by_rules": {"strict": {"rules": "strict", "correct": false, ...},
 *  "paper": {"rules": "paper", "correct": true, ...}}}</pre>
 */
public final class VerdictFields {
    public static final String BY_RULES = "by_rules";
    public static final String RULES = "rules";

    private VerdictFields() {
    }

    /** Writes the headline verdict at the top of {@code o} and every verdict under {@link #BY_RULES}. */
    public static void put(ObjectNode o, GradingRules headline, Map<GradingRules, Verdict> all) {
        Verdict h = all.get(headline);
        if (h == null) {
            throw new IllegalArgumentException("no verdict under the headline rules " + headline.label());
        }
        putOne(o, headline, h);
        ObjectNode by = o.putObject(BY_RULES);
        all.forEach((r, v) -> putOne(by.putObject(r.label()), r, v));
    }

    /** One verdict's fields. */
    public static void putOne(ObjectNode o, GradingRules rules, Verdict v) {
        o.put(RULES, rules.label());
        o.put("prediction", v.prediction());
        o.put("correct", v.correct());
        o.put("rule", v.rule().label());
        o.put("extraction", v.extraction().name().toLowerCase(Locale.ROOT));
        o.put("reason", v.reason());                 // why no decision was reached (budget, length cap), or null
    }

    /**
     * The verdict under {@code rules} stored in {@code node} (a line or a cell of one), or null when it holds none
     * (a line written before both rule sets were graded holds the strict verdict only, without "rules").
     */
    public static Verdict read(JsonNode node, GradingRules rules, String groundTruth) {
        JsonNode by = node.path(BY_RULES).get(rules.label());
        if (by != null && by.isObject()) {
            return one(by, groundTruth);
        }
        String own = node.path(RULES).asText(GradingRules.STRICT.label());
        return own.equals(rules.label()) && node.has("correct") ? one(node, groundTruth) : null;
    }

    private static Verdict one(JsonNode v, String groundTruth) {
        JsonNode p = v.get("prediction");
        JsonNode reason = v.get("reason");
        return new Verdict(v.path("correct").asBoolean(), Rule.valueOf(v.path("rule").asText("none")
                .toUpperCase(Locale.ROOT)), p == null || p.isNull() ? null : p.asText(), groundTruth,
                AnswerExtractor.Method.valueOf(v.path("extraction").asText("none").toUpperCase(Locale.ROOT)),
                reason == null || reason.isNull() ? null : reason.asText());
    }
}
