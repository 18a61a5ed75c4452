package dev.mipeaks.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * stats.json: the run's description, problem counts, then Table 1 and MI statistics per layer and over all layers,
 * and how the thinking-token table was made (absent when none was). Undefined statistics are null (never NaN), with
 * counts saying why.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"run", "model", "dataset", "estimator", "layers", "options", "problems", "per_layer", "all_layers",
        "thinking_tokens"})
public record StatsFile(String run, String model, String dataset, String estimator, List<Integer> layers,
                        Options options, Problems problems, List<Layer> perLayer, Layer allLayers,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Tokens thinkingTokens) {

    /** What the quartiles are (stats.json says it in words). */
    static final String QUARTILES = "numpy.percentile linear (default) for Q1/Q3, numpy.median for the median";

    /** The peak options of the analysis. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"top_k", "rules", "layer", "thinking_tokens_rule", "quartiles"})
    public record Options(int topK, List<String> rules, int layer, String thinkingTokensRule, String quartiles) {
    }

    /** Problems analysed and skipped, with the skip reasons counted. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"ok", "skipped", "skipped_reasons"})
    public record Problems(int ok, int skipped, Map<String, Integer> skippedReasons) {
    }

    /** One layer's statistics ({@code layer}: its index, or "all" over every layer). */
    @JsonPropertyOrder({"layer", "mi", "table1"})
    public record Layer(Object layer, Mi mi, Map<String, Table1> table1) {
        static Layer of(LayerStats ls) {
            MiSummary m = ls.mi();
            Map<String, Table1> t1 = new LinkedHashMap<>();
            for (PeakTable t : ls.table1().values()) {
                t1.put(t.rule().key(), new Table1(t.problems(), t.meanPeaks(), t.meanSteps(), finite(t.ratio()),
                        finite(t.pooledRatio()), finite(t.meanInterval()), t.intervalProblems(), t.intervalExcluded()));
            }
            return new Layer(ls.layer() == null ? "all" : ls.layer(), new Mi(m.values(), finite(m.mean()),
                    finite(m.std()), finite(m.aom()), m.aomProblems(), m.aomNoPeak(), m.aomZeroIqr(), m.aomEmpty()), t1);
        }
    }

    /** The MI distribution of a layer: mean, std (population) and AOM, and the problems AOM left out. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"values", "mean", "std", "aom", "aom_problems", "aom_excluded_no_peak", "aom_excluded_zero_iqr",
            "aom_excluded_empty"})
    public record Mi(long values, Double mean, Double std, Double aom, int aomProblems, int aomExcludedNoPeak,
                     int aomExcludedZeroIqr, int aomExcludedEmpty) {
    }

    /** One rule's row of the paper's Table 1. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"problems", "mean_peaks", "mean_steps", "ratio", "pooled_ratio", "mean_interval",
            "interval_problems", "interval_excluded_lt2_peaks"})
    public record Table1(int problems, double meanPeaks, double meanSteps, Double ratio, Double pooledRatio,
                         Double meanInterval, int intervalProblems, int intervalExcludedLt2Peaks) {
    }

    /** How the thinking-token table was counted. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"layer", "rule", "counted_peaks", "special_tokens", "special_steps_left_out", "token_ids"})
    public record Tokens(int layer, String rule, long countedPeaks, String specialTokens, long specialStepsLeftOut,
                         String tokenIds) {
    }

    /** stats.json of an analysis; {@code tokensInfo} null: no thinking-token table. */
    static StatsFile of(RunAnalysis a, AnalysisWriter.ThinkingTokensInfo tokensInfo) {
        RunConfig c = a.run().config();
        return new StatsFile(a.run().name(), c.model(), c.dataset(), c.estimatorDescription(), c.layers(),
                new Options(a.options().topK(), a.options().rules().stream().map(PeakRule::key).toList(), a.layer(),
                        a.options().tokenRule().key(), QUARTILES),
                new Problems(a.problems().size(), a.skippedCount(), a.skippedReasons()),
                a.perLayer().values().stream().map(Layer::of).toList(), Layer.of(a.allLayers()),
                tokensInfo == null ? null : new Tokens(a.layer(), a.options().tokenRule().key(),
                        a.thinkingTokens().total(), a.thinkingTokens().includesSpecial() ? "included" : "left out",
                        tokensInfo.specialSteps(), tokensInfo.vocabulary()
                        ? "every vocabulary id whose single-id decoding has the word"
                        : "ids seen at peaks only (no vocabulary/tokenizer given)"));
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }
}
