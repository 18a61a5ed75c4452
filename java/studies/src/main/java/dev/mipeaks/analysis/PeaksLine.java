package dev.mipeaks.analysis;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * One line of peaks.jsonl: a problem at one layer. The quartiles and the IQR threshold (Q3 + 1.5 IQR) are left out
 * when the trajectory has none; mean, std and aom are null when undefined (never NaN; {@code aom_status} says why);
 * then one object per peak rule, named by its key, in the order of the analysis' rules.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"index", "id", "layer", "steps", "q1", "median", "q3", "threshold", "mean", "std", "aom",
        "aom_status"})
public record PeaksLine(int index, String id, int layer, int steps,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Double q1,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Double median,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Double q3,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Double threshold,
                        Double mean, Double std, Double aom, String aomStatus,
                        @JsonAnySetter Map<String, RulePeaks> rules) {

    public PeaksLine {
        mean = finite(mean);
        std = finite(std);
        aom = finite(aom);
        rules = rules == null ? new java.util.LinkedHashMap<>() : rules;
    }

    /**
     * One rule's peaks in step order, aligned: the steps, their tokens, ids and shown forms; top-k also has its k and
     * each step's rank (1 = the largest MI).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"k", "peak_steps", "ranks", "tokens", "token_ids", "shown"})
    public record RulePeaks(@JsonInclude(JsonInclude.Include.NON_NULL) Integer k, List<Integer> peakSteps,
                            @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> ranks, List<String> tokens,
                            List<Integer> tokenIds, List<String> shown) {
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    /** The rules' peaks by rule key, in the analysis' order (written after the other fields). */
    @Override
    @JsonAnyGetter
    public Map<String, RulePeaks> rules() {
        return rules;
    }
}
