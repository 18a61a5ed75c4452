package dev.mipeaks.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    private VerdictFields() {
    }

    /**
     * One verdict as a result line writes it, in this field order; {@code reason}: why no decision was reached
     * (budget, length cap), or null. Fields missing in lines of older runs read as null.
     */
    @JsonPropertyOrder({"rules", "prediction", "correct", "rule", "extraction", "reason"})
    public record Fields(String rules, String prediction, Boolean correct, String rule, String extraction,
                         String reason) {
        /** The fields of {@code v} decided under {@code rules}. */
        public static Fields of(GradingRules rules, Verdict v) {
            return new Fields(rules.label(), v.prediction(), v.correct(), v.rule().label(),
                    v.extraction().name().toLowerCase(Locale.ROOT), v.reason());
        }

        /** The verdict these fields hold (missing ones: wrong, rule and extraction "none"). */
        public Verdict verdict(String groundTruth) {
            return new Verdict(correct != null && correct, Rule.valueOf((rule == null ? "none" : rule)
                    .toUpperCase(Locale.ROOT)), prediction, groundTruth, AnswerExtractor.Method.valueOf(
                    (extraction == null ? "none" : extraction).toUpperCase(Locale.ROOT)), reason);
        }
    }

    /**
     * The verdicts of a result line as a record holds them (written {@link JsonUnwrapped} into the line): the
     * headline verdict's fields, then every rule set's verdict under {@link #BY_RULES}.
     */
    public record Graded(@JsonUnwrapped Fields headline, @JsonProperty(BY_RULES) Map<String, Fields> byRules) {
        /** {@code all} with the verdict under {@code headline} at the top. */
        public static Graded of(GradingRules headline, Map<GradingRules, Verdict> all) {
            Verdict h = all.get(headline);
            if (h == null) {
                throw new IllegalArgumentException("no verdict under the headline rules " + headline.label());
            }
            Map<String, Fields> by = new java.util.LinkedHashMap<>();
            all.forEach((r, v) -> by.put(r.label(), Fields.of(r, v)));
            return new Graded(Fields.of(headline, h), by);
        }
    }

    /** Writes the headline verdict at the top of {@code o} and every verdict under {@link #BY_RULES}. */
    public static void put(ObjectNode o, GradingRules headline, Map<GradingRules, Verdict> all) {
        o.setAll((ObjectNode) JSON.valueToTree(Graded.of(headline, all)));
    }

    /** One verdict's fields. */
    public static void putOne(ObjectNode o, GradingRules rules, Verdict v) {
        o.setAll((ObjectNode) JSON.valueToTree(Fields.of(rules, v)));
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
        ObjectNode own = JSON.createObjectNode();
        for (String f : List.of(RULES, "prediction", "correct", "rule", "extraction", "reason")) {
            if (v.has(f)) {
                own.set(f, v.get(f)); // only the verdict's own fields: a line holds many more
            }
        }
        try {
            return JSON.treeToValue(own, Fields.class).verdict(groundTruth);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a verdict: " + own, e);
        }
    }
}
