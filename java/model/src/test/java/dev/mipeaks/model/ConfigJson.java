package dev.mipeaks.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one builder of the tests' config.json files without weights: a {@link RandomCheckpoint.Shape} and the model
 * family's other fields, written as the JSON they are.
 */
public final class ConfigJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigJson() {
    }

    /** {@code fields} (a JSON object) with the shape's fields added, parsed as {@code name/config.json}. */
    public static ModelConfig parse(String name, RandomCheckpoint.Shape shape, String fields) {
        ObjectNode c;
        try {
            c = (ObjectNode) JSON.readTree(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + ": " + e.getOriginalMessage(), e);
        }
        c.put("hidden_size", shape.hidden());
        c.put("intermediate_size", shape.intermediate());
        c.put("num_hidden_layers", shape.layers());
        c.put("num_attention_heads", shape.heads());
        c.put("num_key_value_heads", shape.kvHeads());
        c.put("vocab_size", shape.vocab());
        return ModelConfig.parse(c, name + "/config.json");
    }
}
