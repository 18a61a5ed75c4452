package dev.mipeaks.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.eval.GradingRules;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** metrics.json and report.md of an RR run folder, rebuilt from every line of results.jsonl. */
public final class RrReport {
    private RrReport() {
    }

    /** Totals over the folder's finished problems; {@code summary} is the headline rules' ({@code rules}). */
    public record Totals(int problems, long generated, long recycled, long candidates, double decodeSeconds,
                        GradeSummary summary, Map<String, Integer> stopReasons, GradingRules rules,
                        Map<GradingRules, GradeSummary> byRules) {
        public long regular() {
            return generated - recycled;
        }

        public double tokensPerSecond() {
            return decodeSeconds > 0 ? generated / decodeSeconds : 0;
        }
    }

    public static Totals totals(List<JsonNode> lines, String dataset) {
        return totals(lines, dataset, GradingRules.STRICT);
    }

    public static Totals totals(List<JsonNode> lines, String dataset, GradingRules rules) {
        Map<GradingRules, GradeSummary> s = Grading.summaries(dataset);
        long gen = 0;
        long rec = 0;
        long cand = 0;
        double secs = 0;
        Map<String, Integer> stops = new TreeMap<>();
        for (JsonNode l : lines) {
            Grading.add(s, l, l);
            gen += l.path("generated_tokens").asLong();
            rec += l.path("recycled_steps").asLong();
            cand += l.path("trigger_candidates").asLong();
            secs += (l.path("prefill_ms").asDouble() + l.path("decode_ms").asDouble()) / 1e3;
            stops.merge(l.path("stop_reason").asText(), 1, Integer::sum);
        }
        return new Totals(lines.size(), gen, rec, cand, secs, s.get(rules), stops, rules, s);
    }

    static Totals write(RunFolder folder, ObjectNode cfg, GradingRules rules) throws IOException {
        List<JsonNode> lines = new ArrayList<>(folder.finished());
        lines.sort(Comparator.comparingInt(l -> l.path("index").asInt()));
        Totals t = totals(lines, cfg.path("dataset").asText(), rules);
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
        folder.writeJson(RunFolder.METRICS, m);
        folder.writeText(RunFolder.REPORT, markdown(cfg, t, lines));
        return t;
    }

    static String markdown(ObjectNode cfg, Totals t, List<JsonNode> lines) {
        StringBuilder b = new StringBuilder();
        double p = cfg.path("probability").asDouble();
        b.append("# Representation Recycling: ").append(cfg.path("dataset").asText()).append("\n\n");
        b.append(p == 0 ? "Baseline run (probability 0: plain greedy decoding; the trigger steps are only counted).\n\n"
                : String.format(Locale.ROOT, "Layer %d applied twice at trigger steps with probability %s.%n%n",
                cfg.path("layer").asInt(), cfg.path("probability").asText()));
        b.append("## Accuracy\n\n");
        ReportText.accuracyTables(b, t.rules(), t.byRules());
        b.append("## Recycling\n\n| | value |\n|---|---|\n");
        b.append("| problems | ").append(t.problems()).append(" |\n");
        b.append("| generated tokens | ").append(t.generated()).append(" |\n");
        b.append("| recycled steps | ").append(t.recycled()).append(" |\n");
        b.append("| regular steps | ").append(t.regular()).append(" |\n");
        b.append("| trigger candidates (coin flips) | ").append(t.candidates()).append(" |\n");
        b.append("| recycled / candidates | ").append(t.candidates() == 0 ? "n/a"
                : ReportText.pct((double) t.recycled() / t.candidates())).append(" |\n");
        b.append("| stop reasons | ").append(t.stopReasons()).append(" |\n");
        b.append(String.format(Locale.ROOT, "| generation speed | %.1f tokens/s (prefill + decode time) |%n%n",
                t.tokensPerSecond()));
        b.append("## Configuration\n\n");
        ReportText.configTable(b, cfg);
        b.append("## Problems\n\nprediction and correct under the ").append(t.rules().label())
                .append(" rules.\n\n| index | id | tokens | recycled | stop | prediction | answer | correct |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        int shown = 0;
        for (JsonNode l : lines) {
            if (shown++ == 200) {
                b.append("\n(").append(lines.size() - 200).append(" more rows in results.jsonl)\n");
                break;
            }
            b.append("| ").append(l.path("index").asInt()).append(" | ").append(ReportText.cell(l.path("id").asText()))
                    .append(" | ").append(l.path("generated_tokens").asInt()).append(" | ")
                    .append(l.path("recycled_steps").asInt()).append(" | ").append(l.path("stop_reason").asText())
                    .append(" | ").append(ReportText.cell(headline(l, t.rules()).path("prediction").asText("")))
                    .append(" | ").append(ReportText.cell(l.path("ground_truth").asText())).append(" | ")
                    .append(headline(l, t.rules()).path("correct").asBoolean() ? "yes" : "no").append(" |\n");
        }
        return b.toString();
    }

    /** The line's verdict fields under {@code rules} (the line itself for a line of an older run). */
    private static JsonNode headline(JsonNode line, GradingRules rules) {
        JsonNode by = line.path(dev.mipeaks.eval.VerdictFields.BY_RULES).get(rules.label());
        return by != null ? by : line;
    }
}
