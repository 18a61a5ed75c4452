package dev.mipeaks.suppress;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.eval.Verdict;
import dev.mipeaks.eval.VerdictFields;
import dev.mipeaks.generate.GenerationResult;
import java.util.Map;

/**
 * One line of a condition's results file ({@link Condition#fileName()}): a problem generated under one arm, the
 * strict verdict at the top (it decides the arm's accuracy), both under "by_rules".
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"index", "id", "condition", "n", "answer", "verdicts", "prompt_tokens", "generated_tokens",
        "stop_reason", "response"})
public record SuppressionLine(int index, String id, String condition, int n, String answer,
                              @JsonUnwrapped VerdictFields.Graded verdicts, int promptTokens, int generatedTokens,
                              String stopReason, String response) {

    /** The line of problem {@code r} generated as {@code g} (decoded: {@code text}) under arm {@code c}. */
    static SuppressionLine of(Condition c, DatasetRecord r, GenerationResult g, String text,
                              Map<GradingRules, Verdict> vs) {
        return new SuppressionLine(r.index(), r.id(), c.name(), c.n(), r.answer(),
                VerdictFields.Graded.of(GradingRules.STRICT, vs), g.promptIds().length, g.tokens().length,
                g.stopReason().label(), text);
    }
}
