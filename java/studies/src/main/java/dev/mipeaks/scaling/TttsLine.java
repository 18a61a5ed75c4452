package dev.mipeaks.scaling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mipeaks.eval.VerdictFields;
import java.util.List;

/**
 * The lines of a ttts run's results.jsonl, one per problem and token: {@link Baseline} (no thinking token: phase 1
 * and, unless --no-baseline, its continuation cut at every budget) and {@link Token} (phase 2 after the thinking
 * token). Both end with the tokens generated for the line and the time that took.
 */
public final class TttsLine {
    private TttsLine() {
    }

    /** The baseline line; {@code continuationIds}/{@code continuationStop} are left out under --no-baseline. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"token", "problem", "prompt_tokens", "phase1_ids", "phase1_tokens", "phase1_stop",
            "phase1_text", "cells", "continuation_ids", "continuation_stop", "generated_tokens", "generation_ms"})
    public record Baseline(String token, @JsonUnwrapped RrLine.Problem problem, int promptTokens, int[] phase1Ids,
                           int phase1Tokens, String phase1Stop, String phase1Text, List<Cell> cells,
                           @JsonInclude(JsonInclude.Include.NON_NULL) int[] continuationIds,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String continuationStop, long generatedTokens,
                           double generationMs) {
    }

    /** A thinking token's line: phase 1's counts, the token's ids, phase 2 and its cells. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"token", "problem", "prompt_tokens", "phase1_tokens", "phase1_stop", "wait_ids",
            "phase2_prompt_tokens", "final_prompt_tokens", "phase2_ids", "phase2_stop", "phase2_text", "cells",
            "generated_tokens", "generation_ms"})
    public record Token(String token, @JsonUnwrapped RrLine.Problem problem, int promptTokens, int phase1Tokens,
                        String phase1Stop, int[] waitIds, int phase2PromptTokens, int finalPromptTokens,
                        int[] phase2Ids, String phase2Stop, String phase2Text, List<Cell> cells, long generatedTokens,
                        double generationMs) {
    }

    /**
     * One budget's answer: the final phase, its text and verdicts; a baseline cell then says how long its
     * continuation was ({@code continuation_tokens}), a token's cell its phase 2 cut ({@code phase2_tokens},
     * {@code phase2_stop}).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"budget", "context_tokens", "phase3_ids", "phase3_tokens", "phase3_stop", "final", "verdicts",
            "continuation_tokens", "phase2_tokens", "phase2_stop"})
    public record Cell(int budget, int contextTokens, int[] phase3Ids, int phase3Tokens, String phase3Stop,
                       @JsonProperty("final") String fin, @JsonUnwrapped VerdictFields.Graded verdicts,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Integer continuationTokens,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Integer phase2Tokens,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String phase2Stop) {
    }
}
