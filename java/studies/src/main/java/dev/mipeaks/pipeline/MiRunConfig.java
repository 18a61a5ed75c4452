package dev.mipeaks.pipeline;

import dev.mipeaks.study.RunFolder;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What a run's config.json holds: everything that decides its results. Written by Jackson in this field order;
 * {@code model_snapshot} and the {@code gt_model*} fields are left out when null (folders of earlier versions resume),
 * {@code notice} and {@code shard} are written as null.
 *
 * @param params the estimator's parameters in its own order: numbers as doubles, anything else (sigma "median") as text
 * @param fields the dataset field mapping, sorted by name
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"format", "model", "model_snapshot", "dataset", "layers", "estimator", "params", "max_new_tokens",
        "prompt_template", "created", "notice", "model_fingerprint", "dataset_file", "dataset_sha256", "fields",
        "offset", "limit", "add_special_tokens", "generation", "compute_dtype", "state_dtype", "shard", "gt_model",
        "gt_model_snapshot", "gt_model_fingerprint"})
public record MiRunConfig(String format, String model, String modelSnapshot, String dataset, List<Integer> layers,
                          String estimator, Map<String, Object> params, int maxNewTokens, String promptTemplate,
                          String created, @JsonInclude(JsonInclude.Include.ALWAYS) String notice,
                          String modelFingerprint, String datasetFile, String datasetSha256, Map<String, String> fields,
                          int offset, int limit, boolean addSpecialTokens, Generation generation, String computeDtype,
                          String stateDtype, @JsonInclude(JsonInclude.Include.ALWAYS) String shard, String gtModel,
                          String gtModelSnapshot, String gtModelFingerprint) {

    /** The sampling settings of the run's generation. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"temperature", "top_p", "seed"})
    public record Generation(double temperature, double topP, long seed) {
    }

    /** The same configuration generated from another model's ground-truth states ({@code --gt-model}). */
    public MiRunConfig withGtModel(String model, String snapshot, String fingerprint) {
        return new MiRunConfig(format, this.model, modelSnapshot, dataset, layers, estimator, params, maxNewTokens,
                promptTemplate, created, notice, modelFingerprint, datasetFile, datasetSha256, fields, offset, limit,
                addSpecialTokens, generation, computeDtype, stateDtype, shard, model, snapshot, fingerprint);
    }

    /** As the JSON tree the run folder's identity checks compare. */
    public ObjectNode toJson() {
        return RunFolder.JSON.valueToTree(this);
    }
}
