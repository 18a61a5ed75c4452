package dev.mipeaks.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.eval.Accuracy;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.eval.GradingRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a TTTS run folder's metrics.json, report.md and figure (dev.mipeaks.report.TttsReport) say, rebuilt from every
 * line of results.jsonl.
 */
public final class TttsSummary {
    private TttsSummary() {
    }

    /**
     * Accuracy per (row, budget) under each rule set: rows are the thinking tokens in sweep order, then
     * {@link TttsRunner#BASELINE}; {@code rules} is the headline.
     */
    public record Result(GradingRules rules, Map<GradingRules, Map<String, Map<Integer, GradeSummary>>> byRules,
                         long generatedTokens, double seconds) {
        public double tokensPerSecond() {
            return seconds > 0 ? generatedTokens / seconds : 0;
        }

        /** The headline rules' accuracies. */
        public Map<String, Map<Integer, GradeSummary>> grades() {
            return byRules.get(rules);
        }

        public String summaryText() {
            StringBuilder b = new StringBuilder();
            Map<String, Map<Integer, GradeSummary>> other = byRules.get(rules.other());
            b.append(String.format(Locale.ROOT, "ttts accuracy under %s rules (%s rules in brackets)%n", rules.label(),
                    rules.other().label()));
            grades().forEach((row, byBudget) -> {
                b.append(String.format(Locale.ROOT, "ttts %-12s",
                        row.equals(TttsRunner.BASELINE) ? row : dev.mipeaks.analysis.TokenText.quote(row)));
                byBudget.forEach((budget, s) -> b.append(String.format(Locale.ROOT, "  %d: %s [%s]", budget,
                        Accuracy.format(s.overall()), Accuracy.percent(other.get(row).get(budget).overall().accuracy()))));
                b.append('\n');
            });
            b.append(String.format(Locale.ROOT, "ttts: %d generated tokens at %.1f tokens/s%n", generatedTokens,
                    tokensPerSecond()));
            return b.toString();
        }
    }

    public static Result collect(List<JsonNode> lines, TttsRunner.Options o, String dataset, GradingRules rules) {
        Map<GradingRules, Map<String, Map<Integer, GradeSummary>>> byRules = new java.util.EnumMap<>(GradingRules.class);
        // per (row, budget) one summary per rule set
        Map<String, Map<Integer, Map<GradingRules, GradeSummary>>> grades = new LinkedHashMap<>();
        List<String> rows = new ArrayList<>(o.tokens());
        if (o.baseline()) {
            rows.add(TttsRunner.BASELINE);
        }
        for (GradingRules r : GradingRules.values()) {
            byRules.put(r, new LinkedHashMap<>());
        }
        for (String row : rows) {
            Map<Integer, Map<GradingRules, GradeSummary>> m = new TreeMap<>();
            for (int b : o.budgets()) {
                Map<GradingRules, GradeSummary> each = Grading.summaries(dataset);
                m.put(b, each);
                each.forEach((r, g) -> byRules.get(r).computeIfAbsent(row, k -> new TreeMap<>()).put(b, g));
            }
            grades.put(row, m);
        }
        long tokens = 0;
        double secs = 0;
        for (JsonNode l : lines) {
            tokens += l.path("generated_tokens").asLong();
            secs += l.path("generation_ms").asDouble() / 1e3;
            Map<Integer, Map<GradingRules, GradeSummary>> m = grades.get(l.path("token").asText());
            if (m == null) {
                continue;
            }
            for (JsonNode cell : l.path("cells")) {
                Map<GradingRules, GradeSummary> s = m.get(cell.path("budget").asInt());
                if (s != null) {
                    Grading.add(s, l, cell);
                }
            }
        }
        return new Result(rules, byRules, tokens, secs);
    }
}
