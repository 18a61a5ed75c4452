package dev.mipeaks.scaling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.eval.Verdict;
import dev.mipeaks.eval.VerdictFields;
import java.util.Map;

/**
 * One line of an rr run's results.jsonl: the problem, the response, the headline verdict with both under "by_rules",
 * the recycling counts and the generated token ids.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"problem", "response", "verdicts", "prompt_tokens", "generated_tokens", "recycled_steps",
        "regular_steps", "trigger_candidates", "recycled_at", "stop_reason", "prefill_ms", "decode_ms", "token_ids"})
public record RrLine(@JsonUnwrapped Problem problem, String response, @JsonUnwrapped VerdictFields.Graded verdicts,
                     int promptTokens, int generatedTokens, int recycledSteps, int regularSteps,
                     int triggerCandidates, int[] recycledAt, String stopReason, double prefillMs, double decodeMs,
                     int[] tokenIds) {

    /**
     * The problem's identity at the head of a result line (rr, ttts): index, id, answer (the ground truth), and
     * subject and level when the dataset has them.
     */
    @JsonPropertyOrder({"index", "id", "answer", "subject", "level"})
    public record Problem(int index, String id, String answer,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String subject,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer level) {
        static Problem of(DatasetRecord r) {
            return new Problem(r.index(), r.id(), r.answer(), r.subject(), r.level());
        }
    }

    static RrLine of(DatasetRecord r, RrRunner.Outcome oc, String response, GradingRules headline,
                     Map<GradingRules, Verdict> verdicts) {
        return new RrLine(Problem.of(r), response, VerdictFields.Graded.of(headline, verdicts), oc.prompt().length,
                oc.tokens().length, oc.recycledSteps(), oc.regularSteps(), oc.triggerCandidates(), oc.recycledAt(),
                oc.stopReason().label(), oc.prefillNanos() / 1e6, oc.decodeNanos() / 1e6, oc.tokens());
    }
}
