package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A run's config.json. {@code params} holds the estimator parameters as written (sigma: a number or "median",
 * eps: a number); {@code raw} keeps every field, including ones this class does not name.
 */
public record RunConfig(String model, String dataset, List<Integer> layers, String estimator,
                        Map<String, Object> params, int maxNewTokens, String promptTemplate, String created,
                        ObjectNode raw) {

    public RunConfig {
        layers = List.copyOf(layers);
        params = Map.copyOf(params);
    }

    /** "nhsic sigma=50.0 eps=1.0E-5": the estimator and its parameters, for reports and compatibility checks. */
    public String estimatorDescription() {
        StringBuilder sb = new StringBuilder(estimator);
        params.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(' ').append(e.getKey()).append('=').append(e.getValue()));
        return sb.toString();
    }
}
