package dev.mipeaks.suppress;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.Dataset;
import dev.mipeaks.study.RunFolder;
import java.nio.file.Path;

/**
 * config.json of a suppression run: every setting that decides its lines ({@code model_snapshot} only for a model
 * given by Hugging Face id).
 *
 * @param tokens "table PATH" (absolute) or "list [W1, W2]"
 * @param dtype  the compute dtype asked for, or "default"
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"model", "model_snapshot", "dataset", "tokens", "control", "seed", "prompt_template",
        "max_new_tokens", "temperature", "top_p", "dtype"})
public record SuppressionConfig(String model, @JsonInclude(JsonInclude.Include.NON_NULL) String modelSnapshot,
                                String dataset, String tokens, String control, long seed, String promptTemplate,
                                int maxNewTokens, double temperature, double topP, String dtype) {

    static SuppressionConfig of(SuppressionRun.Options o, Dataset data, TokenTable table) {
        return new SuppressionConfig(o.model().recorded(), o.model().isHub() ? o.model().snapshot() : null,
                data.source().toAbsolutePath().normalize().toString(),
                table.source().startsWith("table ")
                        ? "table " + Path.of(table.source().substring(6)).toAbsolutePath().normalize()
                        : "list " + table.words(),
                o.control(), o.seed(), o.promptTemplate(), o.maxNewTokens(), o.temperature(), o.topP(),
                o.dtype() == null ? "default" : o.dtype());
    }

    /** As the JSON tree the run folder's identity check compares. */
    ObjectNode toJson() {
        return RunFolder.JSON.valueToTree(this);
    }
}
