package dev.mipeaks.scaling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.PyStr;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.VerdictFields;
import dev.mipeaks.generate.GenerationConfig;
import dev.mipeaks.generate.GenerationResult;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.generate.StopReason;
import dev.mipeaks.model.ModelConfig;
import dev.mipeaks.study.Progress;
import dev.mipeaks.study.RunFolder;
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
 * <p>How a phase's prompt is built ({@link Context}):
 * <ul>
 * <li>{@code text} (the default: the reference's TTTS_evaluate.py, batch_TTTS_generation, exactly): every phase's
 * output is text as vLLM returns it (a final EOS left out, cut before a stop string) and {@code .strip()}ped; the
 * phase-2 prompt is {@code f'{prompt} {output1} {token}'}, the phase-3 prompt the phase-2 prompt + its output with no
 * space + " Final Answer within \boxed{}:", and each prompt is tokenized whole again (special tokens added, as vLLM
 * does); every call also stops on the reference's stop strings ({@link ScalingContext#stopWords}). The graded text
 * is phase 3's output text.</li>
 * <li>{@code ids} (ours): sequences are joined as token ids: the ids of each appended text (no special tokens)
 * follow the ids before it, and a phase that ends with an EOS token loses that token before the next text is
 * appended. No re-tokenization, no stop strings; the graded text is phase 3 decoded without special tokens.</li>
 * </ul>
 * The two give different greedy continuations (re-tokenizing merges tokens across the joins). Each phase is one
 * generation call whose prompt is the whole sequence so far (prefilled from scratch, as the paper's vLLM calls do).
 * The baseline is ours (the reference has none); under {@code text} its final prompt is
 * {@code f'{prompt} {output}'} + " Final Answer within \boxed{}:".
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

    /** How phases are joined (see the class comment). */
    public enum Context {
        /** The reference's construction: text, stripped, re-tokenized whole at every phase. */
        TEXT,
        /** Ours: token ids joined, the exact prefix reused. */
        IDS;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Context parse(String s) {
            for (Context c : values()) {
                if (c.label().equals(s == null ? null : s.trim().toLowerCase(Locale.ROOT))) {
                    return c;
                }
            }
            throw MipeaksException.invalid("--context " + s + ": expected text or ids");
        }
    }

    /** The reference's phase-2 prompt: {@code f'{q} {a} {thinking_token}'} with {@code a} the stripped phase-1 output. */
    public static String phase2Prompt(String prompt, String phase1Output, String token) {
        return prompt + " " + PyStr.strip(phase1Output) + " " + token;
    }

    /** The reference's phase-3 prompt: the phase-2 prompt + the stripped phase-2 output (no space) + the final prompt. */
    public static String phase3Prompt(String phase2Prompt, String phase2Output) {
        return phase2Prompt + PyStr.strip(phase2Output) + FINAL_PROMPT;
    }

    /** The baseline's final prompt under {@link Context#TEXT} (ours): {@code f'{q} {a}'} + the final prompt. */
    public static String baselineFinalPrompt(String prompt, String output) {
        return prompt + " " + PyStr.strip(output) + FINAL_PROMPT;
    }

    /**
     * @param tokens      thinking tokens (words), in sweep order
     * @param tokenSource the single --thinking-token, or the table file they came from
     * @param budgets     phase-2 budgets, ascending and distinct
     * @param baseBudget  phase-1 budget
     * @param baseline    also run the no-thinking-token baseline
     * @param context     how phases are joined
     */
    public record Options(List<String> tokens, String tokenSource, int[] budgets, int baseBudget, boolean baseline,
                          Context context) {
        public Options(List<String> tokens, String tokenSource, int[] budgets, int baseBudget, boolean baseline) {
            this(tokens, tokenSource, budgets, baseBudget, baseline, Context.TEXT);
        }

        public Options {
            if (context == null) {
                context = Context.TEXT;
            }
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
        return generate(g, prompt, maxNew, List.of());
    }

    static Phase generate(Generator g, int[] prompt, int maxNew, List<String> stops) {
        long t = System.nanoTime();
        GenerationResult r = g.generate(prompt, GenerationConfig.greedy(maxNew).withStopStrings(stops), List.of());
        return new Phase(r.tokens(), r.stopReason(), System.nanoTime() - t);
    }

    /** What a phase continues: its ids, and (under {@link Context#TEXT}) the prompt text they encode. */
    record Prefix(int[] ids, String text) {
    }

    /** The stop strings of every call under {@code o}'s context. */
    static List<String> stops(ScalingContext ctx, Options o) {
        return o.context() == Context.TEXT ? ctx.stopWords() : List.of();
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
    static List<Cell> cells(ScalingContext sc, Options o, Generator g, Prefix prefix, boolean baseline, Phase full,
                            int[] cuts, int[] finalIds) {
        ModelConfig c = g.model().config();
        List<Cell> out = new ArrayList<>();
        for (int i = 0; i < cuts.length; i++) {
            Phase cont = full.cut(cuts[i], c);
            int[] ctx = finalContext(sc, o, prefix, baseline, cont, c, finalIds);
            out.add(new Cell(o.budgets()[i], cont, ctx, generate(g, ctx, FINAL_TOKENS, stops(sc, o))));
        }
        return out;
    }

    /** The phase-3 prompt after {@code prefix} and its continuation {@code cont}. */
    static int[] finalContext(ScalingContext sc, Options o, Prefix prefix, boolean baseline, Phase cont, ModelConfig c,
                              int[] finalIds) {
        if (o.context() == Context.IDS) {
            return concat(prefix.ids(), cont.kept(c), finalIds);
        }
        String out = sc.outputText(cont.ids());
        return sc.encodeText(baseline ? baselineFinalPrompt(prefix.text(), out) : phase3Prompt(prefix.text(), out));
    }

    /** The phase-2 prompt of {@code token} after phase 1. */
    static Prefix phase2Prefix(ScalingContext sc, Options o, DatasetRecord r, int[] prompt, Phase phase1, String token,
                               ModelConfig c) {
        if (o.context() == Context.IDS) {
            return new Prefix(concat(prompt, phase1.kept(c), sc.segmentIds(" " + token)), null);
        }
        String t = phase2Prompt(sc.promptText(r), sc.outputText(phase1.ids()), token);
        return new Prefix(sc.encodeText(t), t);
    }

    /**
     * One cell from scratch under {@link Context#TEXT}, three calls as TTTS_evaluate.py makes them (token null =
     * the baseline).
     */
    public static Cell regenerateText(ScalingContext sc, DatasetRecord r, int baseBudget, String token, int budget) {
        Generator g = sc.generator();
        ModelConfig c = g.model().config();
        List<String> stops = sc.stopWords();
        int[] prompt = sc.promptIds(r);
        String q = sc.promptText(r);
        if (token == null) {
            Phase all = generate(g, prompt, baseBudget + budget, stops);
            int[] ctx = sc.encodeText(baselineFinalPrompt(q, sc.outputText(all.ids())));
            return new Cell(budget, all, ctx, generate(g, ctx, FINAL_TOKENS, stops));
        }
        Phase p1 = generate(g, prompt, baseBudget, stops);
        String q2 = phase2Prompt(q, sc.outputText(p1.ids()), token);
        Phase p2 = generate(g, sc.encodeText(q2), budget, stops);
        int[] ctx = sc.encodeText(phase3Prompt(q2, sc.outputText(p2.ids())));
        return new Cell(budget, p2, ctx, generate(g, ctx, FINAL_TOKENS, stops));
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

    /**
     * config.json: everything that decides the results ({@code context} only under text: folders written before
     * --context existed joined ids, and resume under --context ids), then {@link RunFolder#INFO} (informational).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"command", "setting", "thinking_tokens", "thinking_token_source", "budgets", "base_budget",
            "baseline", "final_prompt", "final_tokens", "context", RunFolder.INFO})
    public record Config(String command, @JsonUnwrapped ScalingContext.Setting setting, List<String> thinkingTokens,
                         String thinkingTokenSource, int[] budgets, int baseBudget, boolean baseline,
                         String finalPrompt, int finalTokens, @JsonInclude(JsonInclude.Include.NON_NULL) String context,
                         JsonNode runInfo) {
    }

    public static Config config(ScalingContext.Setting setting, Options o, JsonNode runInfo) {
        return new Config("ttts", setting, o.tokens(), o.tokenSource(), o.budgets(), o.baseBudget(),
                o.baseline(), FINAL_PROMPT, FINAL_TOKENS, o.context() == Context.TEXT ? o.context().label() : null,
                runInfo);
    }

    /** Writes a finished folder's figure and report.md (dev.mipeaks.report.TttsReport::write: report sits above). */
    @FunctionalInterface
    public interface Report {
        void write(RunFolder folder, ObjectNode cfg, Options o, TttsSummary.Result result) throws IOException;
    }

    /**
     * Runs every unfinished (problem, row) into {@code out}, then, still holding the folder, writes metrics.json and
     * the figure and report with {@code report}.
     */
    public static TttsSummary.Result run(ScalingContext ctx, Path out, Options o, ObjectNode info, Report report,
                                         PrintWriter stdout, PrintWriter err) throws IOException {
        ObjectNode cfg = RunFolder.JSON.valueToTree(config(ctx.setting(), o, info));
        try (RunFolder folder = RunFolder.open(out, ScalingContext.folderKind(cfg), ctx.options().force(), err)) {
            folder.claim(cfg);
            // finished (index, token) pairs; the baseline line of a problem also holds its phase-1 ids
            Set<String> done = new HashSet<>();
            Map<Integer, JsonNode> baselines = new HashMap<>();
            for (JsonNode l : folder.lines(RunFolder.RESULTS)) {
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
            Progress progress = new Progress(err, "ttts", "items (problem x [baseline + tokens])", total, already).announceResume();
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
                        + o.maxBudget() + " + thinking token " + wait + " + final prompt " + finalIds.length
                        + " + answer " + FINAL_TOKENS, err);
            }
            int finished = already;
            try (Progress.Notice notice = progress.interruptNotice(out)) {
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
                        Phase all = generate(g, prompt, o.baseBudget() + (o.baseline() ? o.maxBudget() : 0),
                                stops(ctx, o));
                        phase1 = all.cut(o.baseBudget(), c);
                        TttsLine.Baseline line = baselineLine(ctx, g, r, prompt, all, phase1, o, finalIds);
                        folder.append(RunFolder.RESULTS, RunFolder.JSON.valueToTree(line));
                        progress.tokens(line.generatedTokens(), (long) (line.generationMs() * 1e6));
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
                        TttsLine.Token line = tokenLine(ctx, g, r, prompt, phase1, t, o, finalIds);
                        folder.append(RunFolder.RESULTS, RunFolder.JSON.valueToTree(line));
                        progress.tokens(line.generatedTokens(), (long) (line.generationMs() * 1e6));
                        finished++;
                        progress.done(finished, "#" + r.index() + " " + t);
                    }
                }
            }
            TttsSummary.Result res = TttsSummary.collect(folder.lines(RunFolder.RESULTS), o, cfg.path("dataset").asText(),
                    ctx.rules());
            folder.writeJson(RunFolder.METRICS, TttsMetrics.of(res, o));
            report.write(folder, cfg, o, res);
            stdout.print(res.summaryText());
            stdout.printf(Locale.ROOT, "ttts: wrote %s%n", out);
            stdout.flush();
            return res;
        }
    }

    static String key(int index, String token) {
        return index + "\u0000" + token;
    }

    private static TttsLine.Baseline baselineLine(ScalingContext ctx, Generator g, DatasetRecord r, int[] prompt,
                                                  Phase all, Phase phase1, Options o, int[] finalIds) {
        List<Cell> cells = List.of();
        if (o.baseline()) {
            int[] cuts = new int[o.budgets().length];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = o.baseBudget() + o.budgets()[i];
            }
            Prefix prefix = new Prefix(prompt, o.context() == Context.TEXT ? ctx.promptText(r) : null);
            cells = cells(ctx, o, g, prefix, true, all, cuts, finalIds);
        }
        return new TttsLine.Baseline(BASELINE, RrLine.Problem.of(r), prompt.length, phase1.ids(), phase1.ids().length,
                phase1.stop().label(), o.context() == Context.TEXT ? ctx.outputText(phase1.ids())
                : ctx.text(phase1.ids()), cells.stream().map(c -> cellLine(ctx, o, r, c, true)).toList(),
                o.baseline() ? all.ids() : null, o.baseline() ? all.stop().label() : null,
                all.ids().length + answerTokens(cells), (all.nanos() + answerNanos(cells)) / 1e6);
    }

    private static TttsLine.Token tokenLine(ScalingContext ctx, Generator g, DatasetRecord r, int[] prompt,
                                            Phase phase1, String token, Options o, int[] finalIds) {
        ModelConfig c = g.model().config();
        int[] wait = ctx.segmentIds(" " + token);
        Prefix prefix = phase2Prefix(ctx, o, r, prompt, phase1, token, c);
        Phase p2 = generate(g, prefix.ids(), o.maxBudget(), stops(ctx, o));
        List<Cell> cells = cells(ctx, o, g, prefix, false, p2, o.budgets(), finalIds);
        return new TttsLine.Token(token, RrLine.Problem.of(r), prompt.length, phase1.ids().length,
                phase1.stop().label(), wait, prefix.ids().length, finalIds.length, p2.ids(), p2.stop().label(),
                o.context() == Context.TEXT ? ctx.outputText(p2.ids()) : ctx.text(p2.ids()),
                cells.stream().map(cell -> cellLine(ctx, o, r, cell, false)).toList(),
                p2.ids().length + answerTokens(cells), (p2.nanos() + answerNanos(cells)) / 1e6);
    }

    private static long answerTokens(List<Cell> cells) {
        return cells.stream().mapToLong(c -> c.answer().ids().length).sum();
    }

    private static long answerNanos(List<Cell> cells) {
        return cells.stream().mapToLong(c -> c.answer().nanos()).sum();
    }

    /** A cell as its line holds it: a baseline cell's continuation length, or a token cell's phase 2 cut. */
    private static TttsLine.Cell cellLine(ScalingContext ctx, Options o, DatasetRecord r, Cell cell, boolean baseline) {
        String fin = o.context() == Context.TEXT ? ctx.outputText(cell.answer().ids()) : ctx.text(cell.answer().ids());
        return new TttsLine.Cell(cell.budget(), cell.context().length, cell.answer().ids(), cell.answer().ids().length,
                cell.answer().stop().label(), fin, VerdictFields.Graded.of(ctx.rules(), ctx.grade(fin, r)),
                baseline ? cell.continuation().ids().length : null,
                baseline ? null : cell.continuation().ids().length,
                baseline ? null : cell.continuation().stop().label());
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
