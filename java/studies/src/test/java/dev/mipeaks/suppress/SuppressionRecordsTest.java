package dev.mipeaks.suppress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.AnswerExtractor;
import dev.mipeaks.eval.Dataset;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.eval.Rule;
import dev.mipeaks.eval.Verdict;
import dev.mipeaks.eval.VerdictFields;
import dev.mipeaks.generate.GenerationResult;
import dev.mipeaks.generate.StopReason;
import dev.mipeaks.model.ModelSource;
import dev.mipeaks.study.RunFolder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The suppression run's records (result line, config.json, metrics.json) write the bytes of the ObjectNode code they
 * replace (kept here as the reference), and a result line reads back equal.
 */
class SuppressionRecordsTest {
    private static final Path DATA = Path.of("/data/math \"500\".jsonl");

    static SuppressionRun.Options options(String tokens, String dtype, double temperature) {
        return new SuppressionRun.Options(ModelSource.folder(Path.of("/models/tiny")), "math500", null, tokens,
                List.of(0, 2), "random", 7, "deepseek-math", 64, -1, 3, 1, temperature, 0.95, "cpu", null, dtype,
                true, Path.of("/out"), false);
    }

    static Map<GradingRules, Verdict> verdicts() {
        Map<GradingRules, Verdict> all = new LinkedHashMap<>();
        all.put(GradingRules.STRICT, new Verdict(false, Rule.NUMERIC, "1/2", "0.5", AnswerExtractor.Method.BOXED));
        all.put(GradingRules.PAPER, new Verdict(true, Rule.TIMEOUT, null, "0.5", AnswerExtractor.Method.NONE,
                "time budget ran out"));
        return all;
    }

    static SuppressionRun.Summary summary() {
        WordIndex w = new WordIndex(SuppressionVocabularyTest.FAKE);
        SuppressionPlan plan = SuppressionPlan.build(TokenTable.list("So,Hmm,Wait"), w, List.of(2, 0), 7);
        List<SuppressionRun.Arm> arms = List.of(new SuppressionRun.Arm(plan.conditions().get(0), 1, 3, 50, 1, 2, 3),
                new SuppressionRun.Arm(plan.conditions().get(1), 0, 0, 0, 0),
                new SuppressionRun.Arm(plan.conditions().get(2), 2, 3, 71, 0, 1, 2));
        return new SuppressionRun.Summary(options("So,Hmm,Wait", null, 0), "math500", 3, plan, arms, 121,
                2_500_000_000L, 118, 2_000_000_000L, List.of());
    }

    @Test
    void lineWritesTheTreeCodesBytesAndReadsBackEqual() throws Exception {
        Condition c = summary().plan().conditions().get(1);
        DatasetRecord r = new DatasetRecord(4, "test/x-1", "What is 1/2?", "", "0.5", null, null, Map.of());
        GenerationResult g = new GenerationResult(new int[] {1, 2, 3}, new int[] {4, 5}, StopReason.MAX_NEW_TOKENS, 0,
                10, 20);
        SuppressionLine line = SuppressionLine.of(c, r, g, "So \"1/2\"\n\u00e9", verdicts());
        String json = RunFolder.JSON.writeValueAsString(line);
        assertEquals(RunFolder.JSON.writeValueAsString(oldLine(c, r, g, "So \"1/2\"\n\u00e9", verdicts())), json);
        // Jackson 2.18 cannot read @JsonUnwrapped creator properties: the line's readers read its verdicts back
        JsonNode back = RunFolder.JSON.readTree(json);
        for (GradingRules rules : GradingRules.values()) {
            assertEquals(verdicts().get(rules), VerdictFields.read(back, rules, "0.5"));
        }
    }

    @Test
    void configWritesTheTreeCodesBytes() throws Exception {
        Dataset data = new Dataset("math500", DATA, List.of(), List.of());
        for (SuppressionRun.Options o : List.of(options("So,Wait", null, 0), options("table.jsonl", "bf16", 0.6))) {
            TokenTable t = o.tokens().startsWith("table") ? new TokenTable("table tables/t.jsonl", List.of("So"))
                    : TokenTable.list(o.tokens());
            SuppressionConfig cfg = SuppressionConfig.of(o, data, t);
            assertEquals(RunFolder.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(oldConfig(o, data, t)),
                    RunFolder.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cfg));
            assertEquals(oldConfig(o, data, t), cfg.toJson());
            assertEquals(cfg, RunFolder.JSON.treeToValue(cfg.toJson(), SuppressionConfig.class));
        }
    }

    @Test
    void metricsWriteTheTreeCodesBytesAndReadBackEqual() throws Exception {
        SuppressionRun.Summary s = summary();
        String json = RunFolder.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(SuppressionMetrics.of(s));
        assertEquals(RunFolder.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(oldMetrics(s)), json);
        assertEquals(json, RunFolder.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                RunFolder.JSON.readValue(json, SuppressionMetrics.class)));
    }

    /** A result line: the strict verdict at the top (it decides the arm's accuracy), both under "by_rules". */
    static ObjectNode oldLine(Condition c, DatasetRecord r, GenerationResult g, String text,
                                   Map<GradingRules, Verdict> vs) {
        ObjectNode o = RunFolder.JSON.createObjectNode();
        o.put("index", r.index());
        o.put("id", r.id());
        o.put("condition", c.name());
        o.put("n", c.n());
        o.put("answer", r.answer());
        VerdictFields.put(o, GradingRules.STRICT, vs);
        o.put("prompt_tokens", g.promptIds().length);
        o.put("generated_tokens", g.tokens().length);
        o.put("stop_reason", g.stopReason().label());
        o.put("response", text);
        return o;
    }

    /** config.json of a suppression run: every setting that decides its lines. */
    static ObjectNode oldConfig(SuppressionRun.Options o, Dataset data, TokenTable table) {
        ObjectNode want = RunFolder.JSON.createObjectNode();
        o.model().describe(want);
        want.put("dataset", data.source().toAbsolutePath().normalize().toString());
        want.put("tokens", table.source().startsWith("table ")
                ? "table " + Path.of(table.source().substring(6)).toAbsolutePath().normalize() : "list " + table.words());
        want.put("control", o.control());
        want.put("seed", o.seed());
        want.put("prompt_template", o.promptTemplate());
        want.put("max_new_tokens", o.maxNewTokens());
        want.put("temperature", o.temperature());
        want.put("top_p", o.topP());
        want.put("dtype", o.dtype() == null ? "default" : o.dtype());
        return want;
    }

    static ObjectNode oldMetrics(SuppressionRun.Summary s) {
        SuppressionRun.Options o = s.options();
        ObjectNode root = RunFolder.JSON.createObjectNode();
        root.put("model", o.model().recorded());
        root.put("dataset", s.datasetName());
        root.put("problems", s.problems());
        root.put("offset", o.offset());
        root.put("thinking_token_source", o.tokens());   // as ttts names it; config.json keeps "tokens" (identity)
        root.put("control", o.control());
        root.put("seed", o.seed());
        root.put("prompt_template", o.promptTemplate());
        root.put("max_new_tokens", o.maxNewTokens());
        root.put("temperature", o.temperature());
        root.put("top_p", o.topP());
        root.set("counts", RunFolder.JSON.valueToTree(s.plan().counts()));
        root.put("random_pool", s.plan().control().poolSize());
        root.put("random_excluded_words", s.plan().control().excludedWords());
        root.put("thinking_ids_excluded_from_control", s.plan().thinkingIds().cardinality());
        ObjectNode conds = root.putObject("conditions");
        for (SuppressionRun.Arm a : s.arms()) {
            Condition c = a.condition();
            ObjectNode byN = conds.has(c.name()) ? (ObjectNode) conds.get(c.name()) : conds.putObject(c.name());
            ObjectNode o2 = byN.putObject(Integer.toString(c.n()));
            o2.put("file", c.fileName());
            o2.put("correct", a.correct());
            o2.put("total", a.total());
            if (a.total() > 0) {
                o2.put("accuracy", a.accuracy());
                o2.put("mean_generated_tokens", (double) a.tokens() / a.total());
            } else {
                o2.putNull("accuracy");
                o2.putNull("mean_generated_tokens");
            }
            o2.put("stopped_by_max_new_tokens", a.stoppedByLength());
            o2.put("rules", "strict");
            ObjectNode paper = o2.putObject("paper_rules");
            paper.put("correct", a.paperCorrect());
            paper.put("total", a.paperTotal());
            if (a.paperTotal() > 0) {
                paper.put("accuracy", a.paperAccuracy());
            } else {
                paper.putNull("accuracy");
            }
            o2.set("words", RunFolder.JSON.valueToTree(c.words()));
            o2.set("unmapped_words", RunFolder.JSON.valueToTree(c.unmapped()));
            o2.set("ids", RunFolder.JSON.valueToTree(c.ids()));
        }
        ObjectNode speed = root.putObject("this_invocation");
        speed.put("generated_tokens", s.generated());
        speed.put("generation_seconds", s.generationNanos() / 1e9);
        speed.put("tokens_per_second", s.tokensPerSecond());
        speed.put("decode_tokens_per_second", s.decodeTokensPerSecond());
        return root;
    }

}
