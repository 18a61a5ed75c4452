package dev.mipeaks.scaling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.eval.GradingRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * metrics.json of an rr run: the headline rules' accuracy and grades, both rule sets' beside them, the recycling
 * counts and speed, the trigger warnings and, with --baseline, recycled against greedy on the shared problems.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"command", "problems", "rules", "accuracy", "correct", "grades", "accuracy_by_rules",
        "grades_by_rules", "generated_tokens", "recycled_steps", "regular_steps", "trigger_candidates",
        "recycled_fraction_of_steps", "recycled_fraction_of_candidates", "mean_generated_tokens", "stop_reasons",
        "generation_seconds", "tokens_per_second", "triggers_fired", "warnings", "baseline"})
public record RrMetrics(String command, int problems, String rules, double accuracy, int correct,
                        Map<String, Object> grades, Map<String, Double> accuracyByRules,
                        Map<String, Map<String, Object>> gradesByRules, long generatedTokens, long recycledSteps,
                        long regularSteps, long triggerCandidates, double recycledFractionOfSteps,
                        double recycledFractionOfCandidates, double meanGeneratedTokens,
                        Map<String, Integer> stopReasons, double generationSeconds, double tokensPerSecond,
                        boolean triggersFired, List<String> warnings,
                        @JsonInclude(JsonInclude.Include.NON_NULL) BaselineMetrics baseline) {

    /** Recycled against the greedy baseline folder, under the headline rules. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"folder", "rules", "problems", "recycled_correct", "greedy_correct", "only_recycled_correct",
            "only_greedy_correct", "identical_outputs"})
    public record BaselineMetrics(String folder, String rules, int problems, int recycledCorrect, int greedyCorrect,
                                  int onlyRecycledCorrect, int onlyGreedyCorrect, int identicalOutputs) {
    }

    static RrMetrics of(RrSummary.Totals t, GradingRules rules, List<String> warnings, RrSummary.Comparison cmp) {
        Map<String, Double> accBy = new LinkedHashMap<>();
        Map<String, Map<String, Object>> gradesBy = new LinkedHashMap<>();
        t.byRules().forEach((r, g) -> {
            accBy.put(r.label(), g.overall().accuracy());
            gradesBy.put(r.label(), g.toJson());
        });
        GradeSummary s = t.summary();
        return new RrMetrics("rr", t.problems(), rules.label(), s.overall().accuracy(), s.overall().correct(),
                s.toJson(), accBy, gradesBy, t.generated(), t.recycled(), t.regular(), t.candidates(),
                t.generated() == 0 ? 0 : (double) t.recycled() / t.generated(),
                t.candidates() == 0 ? 0 : (double) t.recycled() / t.candidates(),
                t.problems() == 0 ? 0 : (double) t.generated() / t.problems(), t.stopReasons(), t.decodeSeconds(),
                t.tokensPerSecond(), t.candidates() > 0, warnings, cmp == null ? null
                : new BaselineMetrics(cmp.baseline().toString(), rules.label(), cmp.problems(), cmp.recycledCorrect(),
                cmp.greedyCorrect(), cmp.onlyRecycled(), cmp.onlyGreedy(), cmp.identical()));
    }
}
