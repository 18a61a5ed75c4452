package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.study.RunFolder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * rr's and ttts's config.json as records: the bytes of the ObjectNode code they replace (kept here as the reference,
 * with the values it asked the scaling context for passed in as a {@link ScalingContext.Setting}).
 */
class ScalingConfigTest {
    private static final List<ScalingContext.Setting> SETTINGS = List.of(
            new ScalingContext.Setting("org/model", "0123456789abcdef0123456789abcdef01234567", "llama", "math500",
                    "/data/math500.jsonl", "deepseek-math", "cuda:0", "bf16", "greedy"),
            new ScalingContext.Setting("/models/tiny", null, "qwen2", "gsm8k", "/data/g.jsonl", "raw", null, "f32",
                    "greedy"));

    private static String pretty(Object o) throws Exception {
        return RunFolder.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
    }

    /** ScalingContext.describe before it returned a record, its values given. */
    private static void oldDescribe(ObjectNode c, ScalingContext.Setting s) {
        c.put("model", s.model());
        if (s.modelSnapshot() != null) {
            c.put("model_snapshot", s.modelSnapshot());
        }
        c.put("model_type", s.modelType());
        c.put("dataset", s.dataset());
        c.put("dataset_file", s.datasetFile());
        c.put("prompt_template", s.promptTemplate());
        c.put("device", s.device());
        c.put("dtype", s.dtype());
        c.put("decoding", s.decoding());
    }

    @Test
    void rrConfigWritesTheTreeCodesBytes() throws Exception {
        RrRunner.Options o = new RrRunner.Options(23, new TriggerSet(new int[] {14524, 2100}, List.of("Wait", "So"),
                "table t.jsonl top 2", List.of("Hmm")), 0.5, 7, 16000);
        ObjectNode info = RunFolder.JSON.createObjectNode().put("limit", 3);
        info.putArray(RrSummary.WORDS_WITHOUT_ID).add("Hmm");
        for (ScalingContext.Setting s : SETTINGS) {
            RrRunner.Config cfg = RrRunner.config(s, o, info);
            assertEquals(pretty(oldRrConfig(s, o, info)), pretty(cfg));
        }
    }

    @Test
    void tttsConfigWritesTheTreeCodesBytes() throws Exception {
        for (TttsRunner.Context context : TttsRunner.Context.values()) {
            TttsRunner.Options o = new TttsRunner.Options(List.of("Wait", "Hmm"), "list", new int[] {1024, 2048},
                    4096, context == TttsRunner.Context.TEXT, context);
            for (ObjectNode info : Arrays.asList(RunFolder.JSON.createObjectNode().put("limit", 2), null)) {
                for (ScalingContext.Setting s : SETTINGS) {
                    TttsRunner.Config cfg = TttsRunner.config(s, o, info);
                    assertEquals(pretty(oldTttsConfig(s, o, info)), pretty(cfg));
                }
            }
        }
    }

    private static ObjectNode oldRrConfig(ScalingContext.Setting ctx, RrRunner.Options o, ObjectNode info) {
        ObjectNode c = RunFolder.JSON.createObjectNode();
        c.put("command", "rr");
        oldDescribe(c, ctx);
        c.put("layer", o.layer());
        c.put("trigger_source", o.triggers().source());
        ArrayNode w = c.putArray("trigger_words");
        o.triggers().words().forEach(w::add);
        ArrayNode ids = c.putArray("trigger_ids");
        for (int id : o.triggers().ids()) {
            ids.add(id);
        }
        c.put("probability", o.probability());
        c.put("seed", o.seed());
        c.put("coin_seed", "seed * 1000003 + dataset index");
        c.put("max_new_tokens", o.maxNewTokens());
        c.set(RunFolder.INFO, info);
        return c;
    }


    private static ObjectNode oldTttsConfig(ScalingContext.Setting ctx, TttsRunner.Options o, ObjectNode info) {
        ObjectNode c = RunFolder.JSON.createObjectNode();
        c.put("command", "ttts");
        oldDescribe(c, ctx);
        ArrayNode t = c.putArray("thinking_tokens");
        o.tokens().forEach(t::add);
        c.put("thinking_token_source", o.tokenSource());
        ArrayNode b = c.putArray("budgets");
        for (int x : o.budgets()) {
            b.add(x);
        }
        c.put("base_budget", o.baseBudget());
        c.put("baseline", o.baseline());
        c.put("final_prompt", TttsRunner.FINAL_PROMPT);
        c.put("final_tokens", TttsRunner.FINAL_TOKENS);
        if (o.context() == TttsRunner.Context.TEXT) {
            // absent under ids: folders written before --context existed joined ids, and resume under --context ids
            c.put("context", o.context().label());
        }
        c.set(RunFolder.INFO, info);
        return c;
    }

}
