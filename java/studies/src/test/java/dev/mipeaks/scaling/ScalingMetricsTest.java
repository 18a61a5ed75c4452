package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.AnswerExtractor;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.eval.Rule;
import dev.mipeaks.eval.Verdict;
import dev.mipeaks.study.RunFolder;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rr's and ttts's metrics.json as records: the bytes of the ObjectNode code they replace (kept here as the reference). */
class ScalingMetricsTest {
    private static String pretty(Object o) throws Exception {
        return RunFolder.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
    }

    private static GradeSummary grades(int seed) {
        GradeSummary s = new GradeSummary("math500");
        for (int i = 0; i < 3 + seed; i++) {
            DatasetRecord r = new DatasetRecord(i, "p" + i, "", "", "1", i % 2 == 0 ? "Algebra" : null, i % 3, Map.of());
            s.add(r, new Verdict((i + seed) % 2 == 0, Rule.NUMERIC, "1", "1", AnswerExtractor.Method.BOXED));
        }
        return s;
    }

    private static Map<GradingRules, GradeSummary> byRules() {
        Map<GradingRules, GradeSummary> m = new EnumMap<>(GradingRules.class);
        m.put(GradingRules.STRICT, grades(0));
        m.put(GradingRules.PAPER, grades(1));
        return m;
    }

    /** The rr metrics code before it wrote a record. */
    private static ObjectNode oldRr(RrSummary.Totals t, GradingRules rules, List<String> warnings,
                                    RrSummary.Comparison cmp) {
        ObjectNode m = RunFolder.JSON.createObjectNode();
        m.put("command", "rr");
        m.put("problems", t.problems());
        m.put("rules", rules.label());
        m.put("accuracy", t.summary().overall().accuracy());
        m.put("correct", t.summary().overall().correct());
        m.set("grades", RunFolder.JSON.valueToTree(t.summary().toJson()));
        ObjectNode accBy = m.putObject("accuracy_by_rules");
        ObjectNode gradesBy = m.putObject("grades_by_rules");
        t.byRules().forEach((r, g) -> {
            accBy.put(r.label(), g.overall().accuracy());
            gradesBy.set(r.label(), RunFolder.JSON.valueToTree(g.toJson()));
        });
        m.put("generated_tokens", t.generated());
        m.put("recycled_steps", t.recycled());
        m.put("regular_steps", t.regular());
        m.put("trigger_candidates", t.candidates());
        m.put("recycled_fraction_of_steps", t.generated() == 0 ? 0 : (double) t.recycled() / t.generated());
        m.put("recycled_fraction_of_candidates", t.candidates() == 0 ? 0 : (double) t.recycled() / t.candidates());
        m.put("mean_generated_tokens", t.problems() == 0 ? 0 : (double) t.generated() / t.problems());
        m.set("stop_reasons", RunFolder.JSON.valueToTree(t.stopReasons()));
        m.put("generation_seconds", t.decodeSeconds());
        m.put("tokens_per_second", t.tokensPerSecond());
        m.put("triggers_fired", t.candidates() > 0);
        m.set("warnings", RunFolder.JSON.valueToTree(warnings));
        if (cmp != null) {
            ObjectNode bo = m.putObject("baseline");
            bo.put("folder", cmp.baseline().toString());
            bo.put("rules", rules.label());
            bo.put("problems", cmp.problems());
            bo.put("recycled_correct", cmp.recycledCorrect());
            bo.put("greedy_correct", cmp.greedyCorrect());
            bo.put("only_recycled_correct", cmp.onlyRecycled());
            bo.put("only_greedy_correct", cmp.onlyGreedy());
            bo.put("identical_outputs", cmp.identical());
        }
        return m;
    }

    @Test
    void rrMetricsWriteTheTreeCodesBytes() throws Exception {
        Map<String, Integer> stops = new LinkedHashMap<>();
        stops.put("eos", 2);
        stops.put("max_new_tokens", 1);
        for (GradingRules rules : GradingRules.values()) {
            Map<GradingRules, GradeSummary> by = byRules();
            for (RrSummary.Totals t : List.of(new RrSummary.Totals(3, 900, 12, 40, 2.5, by.get(rules), stops, rules, by),
                    new RrSummary.Totals(0, 0, 0, 0, 0, by.get(rules), Map.of(), rules, by))) {
                for (RrSummary.Comparison cmp : java.util.Arrays.asList(null,
                        new RrSummary.Comparison(Path.of("/runs/greedy"), 3, 2, 1, 1, 0, 1, 900, 870))) {
                    List<String> w = List.of("the triggers never fired");
                    assertEquals(pretty(oldRr(t, rules, w, cmp)), pretty(RrMetrics.of(t, rules, w, cmp)));
                }
            }
        }
    }

    /** The ttts metrics code before it wrote a record. */
    private static ObjectNode oldTtts(TttsSummary.Result r, TttsRunner.Options o) {
        GradingRules rules = r.rules();
        ObjectNode m = RunFolder.JSON.createObjectNode();
        m.put("command", "ttts");
        m.put("base_budget", o.baseBudget());
        m.set("budgets", TttsRunner.array(o.budgets()));
        m.put("context", o.context().label());
        m.put("rules", rules.label());
        accuracy(m.putObject("accuracy"), m.putObject("grades"), r.grades());
        ObjectNode accBy = m.putObject("accuracy_by_rules");
        ObjectNode gradesBy = m.putObject("grades_by_rules");
        r.byRules().forEach((rr, g) -> accuracy(accBy.putObject(rr.label()), gradesBy.putObject(rr.label()), g));
        m.put("generated_tokens", r.generatedTokens());
        m.put("generation_seconds", r.seconds());
        m.put("tokens_per_second", r.tokensPerSecond());
        return m;
    }

    private static void accuracy(ObjectNode acc, ObjectNode detail, Map<String, Map<Integer, GradeSummary>> grades) {
        grades.forEach((row, byBudget) -> {
            ObjectNode a = acc.putObject(row);
            ObjectNode d = detail.putObject(row);
            byBudget.forEach((b, s) -> {
                a.put(Integer.toString(b), s.overall().accuracy());
                d.set(Integer.toString(b), RunFolder.JSON.valueToTree(s.toJson()));
            });
        });
    }


    @Test
    void tttsMetricsWriteTheTreeCodesBytes() throws Exception {
        Map<GradingRules, Map<String, Map<Integer, GradeSummary>>> by = new EnumMap<>(GradingRules.class);
        for (GradingRules rules : GradingRules.values()) {
            Map<String, Map<Integer, GradeSummary>> rows = new LinkedHashMap<>();
            for (String row : List.of(TttsRunner.BASELINE, "Wait")) {
                Map<Integer, GradeSummary> b = new LinkedHashMap<>();
                b.put(1024, grades(rules.ordinal()));
                b.put(2048, grades(row.length() % 2));
                rows.put(row, b);
            }
            by.put(rules, rows);
        }
        for (TttsRunner.Context c : TttsRunner.Context.values()) {
            TttsRunner.Options o = new TttsRunner.Options(List.of("Wait"), "list", new int[] {1024, 2048}, 4096, true, c);
            for (TttsSummary.Result r : List.of(new TttsSummary.Result(GradingRules.PAPER, by, 5000, 2.0),
                    new TttsSummary.Result(GradingRules.STRICT, by, 0, 0))) {
                assertEquals(pretty(oldTtts(r, o)), pretty(TttsMetrics.of(r, o)));
            }
        }
    }
}
