package dev.mipeaks.analysis;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * One problems/NNNNN.json: the generated steps (ids and their single-id decodings) and one MI trajectory per
 * layer, {@code mi.get(layer)[t]} for step t. All trajectories have the length of {@code tokens}. Written by
 * Jackson in this field order ({@link RunWriter#writeProblem}); read field by field, with errors naming the field
 * ({@link RunReader}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"index", "id", "problem", "answer", "response", "stop_reason", "prompt_ids", "token_ids", "tokens",
        "layers", "estimator", "mi"})
public record ProblemRecord(int index, String id, String problem, String answer, String response, String stopReason,
                            int[] promptIds, int[] tokenIds, List<String> tokens, List<Integer> layers,
                            String estimator, Map<Integer, double[]> mi) {

    public int steps() {
        return tokens.size();
    }

    public double[] mi(int layer) {
        double[] m = mi.get(layer);
        if (m == null) {
            throw new IllegalArgumentException("problem " + index + " has no MI for layer " + layer);
        }
        return m;
    }
}
