package dev.mipeaks.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.TaskProgress;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.Verdict;
import dev.mipeaks.generate.GenerationConfig;
import dev.mipeaks.generate.GenerationResult;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.generate.StopReason;
import dev.mipeaks.model.ModelConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code mipeaks ttts}: thinking-token test-time scaling, the paper's three phases per problem, greedy throughout:
 * <ol>
 * <li>generate up to the base budget from the prompt;</li>
 * <li>append " " + the thinking token (e.g. " Wait") and generate up to {@code budget} more tokens;</li>
 * <li>append " Final Answer within \boxed{}:" and generate up to 16 tokens; the phase-3 text is graded (as the
 * paper's script grades the last call's output).</li>
 * </ol>
 * The baseline (no thinking token) for a budget B continues phase 1 to base + B tokens in total, then runs phase 3.
 *
 * <p>Sequences are joined as token ids: the ids of each appended text (no special tokens) follow the ids before it,
 * and a phase that ends with an EOS token loses that token before the next text is appended (the paper's script
 * works on text, where the EOS never appears). Each phase is one generation call whose prompt is the whole sequence
 * so far (prefilled from scratch, as the paper's vLLM calls do).
 *
 * <p><b>Budget sweeps reuse the shared prefix.</b> Greedy decoding is a function of the prefix only, and both stops
 * (EOS, max new tokens) are decided token by token; so generating phase 2 once with the largest budget and cutting
 * it after B tokens gives exactly what a run with max new tokens B generates (the same holds for a run that stopped
 * on EOS before B: both stop at that EOS). Per thinking token, phase 2 runs once (largest budget) and only phase 3
 * runs per budget; the baseline continuation runs once to base + largest budget and phase 1 is its first base
 * tokens. {@link #regenerate} computes one cell from scratch, the way the paper does, and the tests compare the two.
 */
public final class TttsRunner {
    public static final String FINAL_PROMPT = " Final Answer within \\boxed{}:";
    public static final int FINAL_TOKENS = 16;
    /** The results.jsonl key of the baseline line. */
    public static final String BASELINE = "<baseline>";

    private TttsRunner() {
    }

    /**
     * @param tokens      thinking tokens (words), in sweep order
     * @param tokenSource the single --thinking-token, or the table file they came from
     * @param budgets     phase-2 budgets, ascending and distinct
     * @param baseBudget  phase-1 budget
     * @param baseline    also run the no-thinking-token baseline
     */
    public record Options(List<String> tokens, String tokenSource, int[] budgets, int baseBudget, boolean baseline) {
        public Options {
            tokens = List.copyOf(tokens);
            if (tokens.isEmpty()) {
                throw MipeaksException.invalid("no thinking token given (--thinking-token or --thinking-tokens)");
            }
            if (new HashSet<>(tokens).size() != tokens.size()) {
                throw MipeaksException.invalid("thinking tokens repeat: " + tokens);
            }
            for (String t : tokens) {
                if (t.isEmpty() || t.equals(BASELINE)) {
                    throw MipeaksException.invalid("thinking token '" + t + "' is not usable");
                }
            }
            budgets = budgets.clone();
            Arrays.sort(budgets);
            if (budgets.length == 0) {
                throw MipeaksException.invalid("--budget: empty list");
            }
            for (int i = 0; i < budgets.length; i++) {
                if (budgets[i] < 1) {
                    throw MipeaksException.invalid("--budget " + budgets[i] + ": budgets must be at least 1");
                }
                if (i > 0 && budgets[i] == budgets[i - 1]) {
                    throw MipeaksException.invalid("--budget " + budgets[i] + " given twice");
                }
            }
            if (baseBudget < 1) {
                throw MipeaksException.invalid("--base-budget " + baseBudget + ": must be at least 1");
            }
        }

        public int maxBudget() {
            return budgets[budgets.length - 1];
        }
    }

    /** A generation call's output. */
    public record Phase(int[] ids, StopReason stop, long nanos) {
        /** The ids kept in the sequence: a trailing EOS dropped. */
        int[] kept(ModelConfig c) {
            return ids.length > 0 && c.isEos(ids[ids.length - 1]) ? Arrays.copyOf(ids, ids.length - 1) : ids;
        }

        /** The first {@code n} ids, with the stop reason a call with max new tokens n would report. */
        Phase cut(int n, ModelConfig c) {
            if (n >= ids.length) {
                return this;
            }
            int[] head = Arrays.copyOf(ids, n);
            return new Phase(head, c.isEos(head[n - 1]) ? StopReason.EOS : StopReason.MAX_NEW_TOKENS, 0);
        }
    }

    /**
     * One (thinking token or baseline, budget) cell.
     *
     * @param continuation the phase-2 ids within the budget (for the baseline: the continuation after the prompt
     *                     within base + budget, phase 1 included)
     * @param context      the phase-3 prompt: everything before the 16 final tokens
     */
    public record Cell(int budget, Phase continuation, int[] context, Phase answer) {
    }

    static Phase generate(Generator g, int[] prompt, int maxNew) {
        long t = System.nanoTime();
        GenerationResult r = g.generate(prompt, GenerationConfig.greedy(maxNew), List.of());
        return new Phase(r.tokens(), r.stopReason(), System.nanoTime() - t);
    }

    static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * The fast path: given {@code full} = greedy continuation of {@code prefix} up to the largest cut, each cell's
     * continuation is its first {@code cuts[i]} ids and only phase 3 runs.
     */
    static List<Cell> cells(Generator g, int[] prefix, Phase full, int[] cuts, int[] budgets, int[] finalIds) {
        ModelConfig c = g.model().config();
        List<Cell> out = new ArrayList<>();
        for (int i = 0; i < cuts.length; i++) {
            Phase cont = full.cut(cuts[i], c);
            int[] ctx = concat(prefix, cont.kept(c), finalIds);
            out.add(new Cell(budgets[i], cont, ctx, generate(g, ctx, FINAL_TOKENS)));
        }
        return out;
    }

    /** The reference: one cell computed from scratch, three calls as in the paper's script (token null = baseline). */
    public static Cell regenerate(Generator g, int[] prompt, int baseBudget, int[] waitIds, int budget, int[] finalIds,
                                  boolean baseline) {
        ModelConfig c = g.model().config();
        if (baseline) {
            Phase all = generate(g, prompt, baseBudget + budget);
            int[] ctx = concat(prompt, all.kept(c), finalIds);
            return new Cell(budget, all, ctx, generate(g, ctx, FINAL_TOKENS));
        }
        Phase p1 = generate(g, prompt, baseBudget);
        int[] prefix = concat(prompt, p1.kept(c), waitIds);
        Phase p2 = generate(g, prefix, budget);
        int[] ctx = concat(prefix, p2.kept(c), finalIds);
        return new Cell(budget, p2, ctx, generate(g, ctx, FINAL_TOKENS));
    }

    public static ObjectNode config(ScalingContext ctx, Options o) {
        ObjectNode c = RunFolder.JSON.createObjectNode();
        c.put("command", "ttts");
        ctx.describe(c);
        ArrayNode t = c.putArray("thinking_tokens");
        o.tokens().forEach(t::add);
        c.put("thinking_token_source", o.tokenSource());
        ArrayNode b = c.putArray("budgets");
        for (int x : o.budgets()) {
            b.add(x);
        }
        c.put("base_budget", o.baseBudget());
        c.put("baseline", o.baseline());
        c.put("final_prompt", FINAL_PROMPT);
        c.put("final_tokens", FINAL_TOKENS);
        return c;
    }

    public static TttsReport.Result run(ScalingContext ctx, Path out, Options o, ObjectNode info, PrintWriter stdout,
                                        PrintWriter err) throws IOException {
        ObjectNode cfg = config(ctx, o);
        cfg.set(RunFolder.INFO, info);
        RunFolder folder = RunFolder.open(out, cfg, err);
        // finished (index, token) pairs; the baseline line of a problem also holds its phase-1 ids
        Set<String> done = new HashSet<>();
        Map<Integer, JsonNode> baselines = new HashMap<>();
        for (JsonNode l : folder.finished()) {
            done.add(key(l.path("index").asInt(), l.path("token").asText()));
            if (l.path("token").asText().equals(BASELINE)) {
                baselines.put(l.path("index").asInt(), l);
            }
        }
        List<DatasetRecord> records = ctx.dataset().records();
        int perProblem = o.tokens().size() + 1;
        int total = records.size() * perProblem;
        int already = 0;
        for (DatasetRecord r : records) {
            already += done.contains(key(r.index(), BASELINE)) ? 1 : 0;
            for (String t : o.tokens()) {
                already += done.contains(key(r.index(), t)) ? 1 : 0;
            }
        }
        TaskProgress progress = new TaskProgress(err, "ttts", "items (problem x [baseline + tokens])", total, already);
        int[] finalIds = ctx.segmentIds(FINAL_PROMPT);
        if (already < total) {
            List<DatasetRecord> todo = records.stream().filter(r -> !done.contains(key(r.index(), BASELINE))
                    || !o.tokens().stream().allMatch(t -> done.contains(key(r.index(), t)))).toList();
            int wait = 0;
            for (String t : o.tokens()) {
                wait = Math.max(wait, ctx.segmentIds(" " + t).length);
            }
            // the longest sequence: prompt, phase 1, thinking token, the largest phase 2, final prompt, the answer
            long after = (long) o.baseBudget() + o.maxBudget() + wait + finalIds.length + FINAL_TOKENS;
            ctx.loadModel(todo, after, FINAL_TOKENS, "base budget " + o.baseBudget() + " + largest budget "
                    + o.maxBudget() + " + thinking token " + wait + " + final prompt " + finalIds.length + " + answer "
                    + FINAL_TOKENS, err);
        }
        int finished = already;
        try (TaskProgress.Notice notice = progress.interruptNotice(out)) {
            for (DatasetRecord r : records) {
                if (done.contains(key(r.index(), BASELINE)) && o.tokens().stream().allMatch(t -> done.contains(key(r.index(), t)))) {
                    continue;
                }
                Generator g = ctx.generator();
                ModelConfig c = g.model().config();
                int[] prompt = ctx.promptIds(r);
                Phase phase1;
                JsonNode base = baselines.get(r.index());
                if (base == null) {
                    // one call serves phase 1 (its first base tokens) and the baseline continuation of every budget
                    Phase all = generate(g, prompt, o.baseBudget() + (o.baseline() ? o.maxBudget() : 0));
                    phase1 = all.cut(o.baseBudget(), c);
                    ObjectNode line = baselineLine(ctx, g, r, prompt, all, phase1, o, finalIds);
                    folder.append(line);
                    progress.tokens(line.path("generated_tokens").asLong(), (long) (line.path("generation_ms").asDouble() * 1e6));
                    finished++;
                    progress.done(finished, "#" + r.index() + " baseline");
                } else {
                    phase1 = new Phase(ints(base.get("phase1_ids")), StopReason.valueOf(base.path("phase1_stop").asText()
                            .toUpperCase(Locale.ROOT)), 0);
                }
                for (String t : o.tokens()) {
                    if (done.contains(key(r.index(), t))) {
                        continue;
                    }
                    ObjectNode line = tokenLine(ctx, g, r, prompt, phase1, t, o, finalIds);
                    folder.append(line);
                    progress.tokens(line.path("generated_tokens").asLong(), (long) (line.path("generation_ms").asDouble() * 1e6));
                    finished++;
                    progress.done(finished, "#" + r.index() + " " + t);
                }
            }
        }
        TttsReport.Result res = TttsReport.write(folder, cfg, o);
        stdout.print(res.summaryText());
        stdout.printf(Locale.ROOT, "ttts: wrote %s%n", out);
        stdout.flush();
        return res;
    }

    static String key(int index, String token) {
        return index + "\u0000" + token;
    }

    private static ObjectNode baselineLine(ScalingContext ctx, Generator g, DatasetRecord r, int[] prompt, Phase all,
                                           Phase phase1, Options o, int[] finalIds) {
        ObjectNode l = RunFolder.JSON.createObjectNode();
        l.put("token", BASELINE);
        Grading.putRecord(l, r);
        l.put("prompt_tokens", prompt.length);
        l.set("phase1_ids", array(phase1.ids()));
        l.put("phase1_tokens", phase1.ids().length);
        l.put("phase1_stop", phase1.stop().label());
        l.put("phase1_text", ctx.text(phase1.ids()));
        long nanos = all.nanos();
        long tokens = all.ids().length;
        ArrayNode cells = l.putArray("cells");
        if (o.baseline()) {
            l.set("continuation_ids", array(all.ids()));
            l.put("continuation_stop", all.stop().label());
            int[] cuts = new int[o.budgets().length];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = o.baseBudget() + o.budgets()[i];
            }
            for (Cell cell : cells(g, prompt, all, cuts, o.budgets(), finalIds)) {
                ObjectNode n = cellNode(ctx, r, cell);
                n.put("continuation_tokens", cell.continuation().ids().length);
                cells.add(n);
                nanos += cell.answer().nanos();
                tokens += cell.answer().ids().length;
            }
        }
        l.put("generated_tokens", tokens);
        l.put("generation_ms", nanos / 1e6);
        return l;
    }

    private static ObjectNode tokenLine(ScalingContext ctx, Generator g, DatasetRecord r, int[] prompt, Phase phase1,
                                        String token, Options o, int[] finalIds) {
        ModelConfig c = g.model().config();
        int[] wait = ctx.segmentIds(" " + token);
        int[] prefix = concat(prompt, phase1.kept(c), wait);
        Phase p2 = generate(g, prefix, o.maxBudget());
        ObjectNode l = RunFolder.JSON.createObjectNode();
        l.put("token", token);
        Grading.putRecord(l, r);
        l.put("prompt_tokens", prompt.length);
        l.put("phase1_tokens", phase1.ids().length);
        l.put("phase1_stop", phase1.stop().label());
        l.set("wait_ids", array(wait));
        l.put("final_prompt_tokens", finalIds.length);
        l.set("phase2_ids", array(p2.ids()));
        l.put("phase2_stop", p2.stop().label());
        l.put("phase2_text", ctx.text(p2.ids()));
        long nanos = p2.nanos();
        long tokens = p2.ids().length;
        ArrayNode cells = l.putArray("cells");
        for (Cell cell : cells(g, prefix, p2, o.budgets(), o.budgets(), finalIds)) {
            ObjectNode n = cellNode(ctx, r, cell);
            n.put("phase2_tokens", cell.continuation().ids().length);
            n.put("phase2_stop", cell.continuation().stop().label());
            cells.add(n);
            nanos += cell.answer().nanos();
            tokens += cell.answer().ids().length;
        }
        l.put("generated_tokens", tokens);
        l.put("generation_ms", nanos / 1e6);
        return l;
    }

    private static ObjectNode cellNode(ScalingContext ctx, DatasetRecord r, Cell cell) {
        ObjectNode n = RunFolder.JSON.createObjectNode();
        n.put("budget", cell.budget());
        n.put("context_tokens", cell.context().length);
        n.set("phase3_ids", array(cell.answer().ids()));
        n.put("phase3_tokens", cell.answer().ids().length);
        n.put("phase3_stop", cell.answer().stop().label());
        String fin = ctx.text(cell.answer().ids());
        n.put("final", fin);
        Verdict v = ctx.grader().grade(fin, r.answer());
        Grading.putVerdict(n, v);
        return n;
    }

    static ArrayNode array(int[] ids) {
        ArrayNode a = RunFolder.JSON.createArrayNode();
        for (int id : ids) {
            a.add(id);
        }
        return a;
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
