package dev.mipeaks.scaling;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mipeaks.eval.GradeSummary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * metrics.json of a ttts run: accuracy and grades by row (thinking token or baseline) and budget under the headline
 * rules, then under each rule set, and the generation's speed.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"command", "base_budget", "budgets", "context", "rules", "accuracy", "grades", "accuracy_by_rules",
        "grades_by_rules", "generated_tokens", "generation_seconds", "tokens_per_second"})
public record TttsMetrics(String command, int baseBudget, int[] budgets, String context, String rules,
                          Map<String, Map<String, Double>> accuracy,
                          Map<String, Map<String, Map<String, Object>>> grades,
                          Map<String, Map<String, Map<String, Double>>> accuracyByRules,
                          Map<String, Map<String, Map<String, Map<String, Object>>>> gradesByRules,
                          long generatedTokens, double generationSeconds, double tokensPerSecond) {

    static TttsMetrics of(TttsSummary.Result r, TttsRunner.Options o) {
        Map<String, Map<String, Map<String, Double>>> accBy = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, Map<String, Object>>>> gradesBy = new LinkedHashMap<>();
        r.byRules().forEach((rules, g) -> {
            accBy.put(rules.label(), byBudget(g, s -> s.overall().accuracy()));
            gradesBy.put(rules.label(), byBudget(g, GradeSummary::toJson));
        });
        return new TttsMetrics("ttts", o.baseBudget(), o.budgets(), o.context().label(), r.rules().label(),
                byBudget(r.grades(), s -> s.overall().accuracy()), byBudget(r.grades(), GradeSummary::toJson), accBy,
                gradesBy, r.generatedTokens(), r.seconds(), r.tokensPerSecond());
    }

    /** {@code f} of every row's summary by budget (as text), in the rows' and budgets' order. */
    private static <T> Map<String, Map<String, T>> byBudget(Map<String, Map<Integer, GradeSummary>> grades,
                                                            java.util.function.Function<GradeSummary, T> f) {
        Map<String, Map<String, T>> out = new LinkedHashMap<>();
        grades.forEach((row, budgets) -> {
            Map<String, T> m = new LinkedHashMap<>();
            budgets.forEach((b, s) -> m.put(Integer.toString(b), f.apply(s)));
            out.put(row, m);
        });
        return out;
    }
}
