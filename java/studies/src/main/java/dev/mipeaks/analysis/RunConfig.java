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

    /**
     * "nhsic eps=0.00001 sigma=50": the estimator and its parameters (sorted by name, numbers written plainly by
     * {@link PlainNumber}), for reports and compatibility checks.
     */
    public String estimatorDescription() {
        StringBuilder sb = new StringBuilder(estimator);
        params.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(' ').append(e.getKey()).append('=').append(PlainNumber.format(e.getValue())));
        return sb.toString();
    }

    /**
     * The number of decoder layers of the run's model (num_hidden_layers of its config.json), or null when the model
     * folder is not here or does not say: reports use it to say which layer is the model's last.
     */
    public Integer modelLayers() {
        try {
            java.nio.file.Path f = java.nio.file.Path.of(model).resolve("config.json");
            if (!java.nio.file.Files.isRegularFile(f)) {
                return null;
            }
            com.fasterxml.jackson.databind.JsonNode n = JsonFields.MAPPER.readTree(f.toFile()).get("num_hidden_layers");
            return n != null && n.canConvertToInt() && n.asInt() > 0 ? n.asInt() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null; // a model folder we cannot read only costs the note
        }
    }
}
