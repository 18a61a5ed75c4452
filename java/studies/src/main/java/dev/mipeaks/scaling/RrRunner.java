package dev.mipeaks.scaling;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.eval.Verdict;
import dev.mipeaks.generate.GenerationConfig;
import dev.mipeaks.generate.GenerationResult;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.generate.RecycleHook;
import dev.mipeaks.generate.StepHook;
import dev.mipeaks.generate.StopReason;
import dev.mipeaks.study.Progress;
import dev.mipeaks.study.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code mipeaks rr}: Representation Recycling over a dataset. Greedy decoding; at a step whose candidate token is a
 * trigger, a seeded coin with probability p decides whether layer l is applied a second time to its own output at
 * that position (the step's token is then taken from the new logits). The KV cache keeps one entry per position
 * ({@link RecycleHook}, {@link dev.mipeaks.model.DecodeSession}). With p = 0 no step is recycled and the output is
 * plain greedy decoding, token for token.
 *
 * <p>Each problem's coin is seeded with {@link #coinSeed}(seed, dataset index), so a problem's draws do not depend on
 * which problems ran before it (a resumed run or another --offset gives the same result).
 */
public final class RrRunner {
    private RrRunner() {
    }

    /**
     * @param layer        the layer applied twice (extract and inject at the same layer, as the paper's runs)
     * @param probability  chance that a trigger step is recycled
     * @param maxNewTokens at most this many generated tokens per problem
     */
    public record Options(int layer, TriggerSet triggers, double probability, long seed, int maxNewTokens) {
        public Options {
            if (!(probability >= 0 && probability <= 1)) {
                throw MipeaksException.invalid("--probability " + probability + ": must be in [0, 1]");
            }
            if (maxNewTokens < 1) {
                throw MipeaksException.invalid("--max-new-tokens " + maxNewTokens + ": must be at least 1");
            }
            if (layer < 0) {
                throw MipeaksException.invalid("--layer " + layer + ": must be >= 0");
            }
        }
    }

    /**
     * One problem's generation.
     *
     * @param triggerCandidates steps whose candidate token was a trigger (the coin was flipped)
     * @param recycledAt        the steps recycled, ascending
     */
    public record Outcome(int[] prompt, int[] tokens, StopReason stopReason, int triggerCandidates, int[] recycledAt,
                          long prefillNanos, long decodeNanos) {
        public int recycledSteps() {
            return recycledAt.length;
        }

        public int regularSteps() {
            return tokens.length - recycledAt.length;
        }
    }

    /** Delegates to {@link RecycleHook}; counts the coin flips and records which steps were recycled. */
    private static final class CountingHook implements StepHook {
        private final RecycleHook inner;
        private final BitSet triggers = new BitSet();
        private final List<Integer> recycledAt = new ArrayList<>();
        private int candidates;

        CountingHook(Options o, long coinSeed) {
            this.inner = new RecycleHook(o.layer(), o.triggers().ids(), o.probability(), coinSeed);
            for (int id : o.triggers().ids()) {
                triggers.set(id);
            }
        }

        @Override
        public boolean recycles() {
            return true;
        }

        @Override
        public int recycle(int row, int step, int candidate) {
            if (triggers.get(candidate)) {
                candidates++;
            }
            return inner.recycle(row, step, candidate);
        }

        @Override
        public void onStep(Step s) {
            if (s.recycledLayer() >= 0) {
                recycledAt.add(s.step());
            }
        }
    }

    /** The coin's seed for the problem at dataset index {@code index}. */
    public static long coinSeed(long seed, int index) {
        return seed * 1_000_003L + index;
    }

    /** Generates one problem; {@code extra} hooks (e.g. captures in tests) run after the recycling hook. */
    public static Outcome generate(Generator g, int[] prompt, Options o, long coinSeed, List<StepHook> extra) {
        int layers = g.model().config().numLayers();
        if (o.layer() >= layers) {
            throw MipeaksException.invalid("--layer " + o.layer() + ": outside [0, " + layers + ") of the model");
        }
        CountingHook hook = new CountingHook(o, coinSeed);
        List<StepHook> hooks = new ArrayList<>();
        hooks.add(hook);
        hooks.addAll(extra);
        GenerationResult r = g.generate(prompt, GenerationConfig.greedy(o.maxNewTokens()), hooks);
        if (r.recycledSteps() != hook.recycledAt.size()) {
            throw new IllegalStateException("generator counted " + r.recycledSteps() + " recycled steps, hook "
                    + hook.recycledAt.size());
        }
        return new Outcome(prompt, r.tokens(), r.stopReason(), hook.candidates,
                hook.recycledAt.stream().mapToInt(Integer::intValue).toArray(), r.prefillNanos(), r.decodeNanos());
    }

    /**
     * config.json: everything that decides the results, then {@link RunFolder#INFO} (informational: the trigger
     * words without an id and what the command adds; never compared on resume).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"command", "setting", "layer", "trigger_source", "trigger_words", "trigger_ids", "probability",
            "seed", "coin_seed", "max_new_tokens", RunFolder.INFO})
    public record Config(String command, @JsonUnwrapped ScalingContext.Setting setting, int layer,
                         String triggerSource, List<String> triggerWords, int[] triggerIds, double probability,
                         long seed, String coinSeed, int maxNewTokens, JsonNode runInfo) {
    }

    public static Config config(ScalingContext.Setting setting, Options o, JsonNode runInfo) {
        return new Config("rr", setting, o.layer(), o.triggers().source(), o.triggers().words(),
                o.triggers().ids(), o.probability(), o.seed(), "seed * 1000003 + dataset index", o.maxNewTokens(),
                runInfo);
    }

    /** Writes report.md from a finished folder's summary (dev.mipeaks.report.RrReport::write: report sits above). */
    @FunctionalInterface
    public interface Report {
        void write(RunFolder folder, RrSummary.Finished finished) throws IOException;
    }

    /**
     * Runs every unfinished problem of the context's dataset slice into {@code out}, then, still holding the folder,
     * writes metrics.json and the report with {@code report}, comparing the recycled run against a greedy baseline
     * folder ({@code rr --probability 0}; null: none).
     */
    public static RrSummary.Totals run(ScalingContext ctx, Path out, Options o, ObjectNode info, Path baseline,
                                       Report report, PrintWriter stdout, PrintWriter err) throws IOException {
        if (o.layer() >= ctx.config().numLayers()) {
            throw MipeaksException.invalid("--layer " + o.layer() + ": outside [0, " + ctx.config().numLayers()
                    + ") of " + ctx.options().model().label());
        }
        ObjectNode runInfo = info == null ? RunFolder.JSON.createObjectNode() : info.deepCopy();
        ArrayNode noId = runInfo.putArray(RrSummary.WORDS_WITHOUT_ID);
        o.triggers().unmapped().forEach(noId::add);
        ObjectNode cfg = RunFolder.JSON.valueToTree(config(ctx.setting(), o, runInfo));
        RrSummary.Baseline base = baseline == null ? null : RrSummary.Baseline.open(baseline, cfg);
        try (RunFolder folder = RunFolder.open(out, ScalingContext.folderKind(cfg), ctx.options().force(), err)) {
            folder.claim(cfg);
            Set<Integer> done = new HashSet<>();
            for (JsonNode l : folder.lines(RunFolder.RESULTS)) {
                done.add(l.path("index").asInt());
            }
            List<DatasetRecord> todo = new ArrayList<>();
            for (DatasetRecord r : ctx.dataset().records()) {
                if (!done.contains(r.index())) {
                    todo.add(r);
                }
            }
            int total = ctx.dataset().size();
            Progress progress = new Progress(err, "rr", "problems", total, total - todo.size()).announceResume();
            if (!todo.isEmpty()) {
                ctx.loadModel(todo, o.maxNewTokens(), o.maxNewTokens(), "max new tokens " + o.maxNewTokens(), err);
            }
            int finished = total - todo.size();
            try (Progress.Notice notice = progress.interruptNotice(out)) {
                for (DatasetRecord r : todo) {
                    int[] prompt = ctx.promptIds(r);
                    Outcome oc = generate(ctx.generator(), prompt, o, coinSeed(o.seed(), r.index()), List.of());
                    String response = ctx.text(oc.tokens());
                    Map<GradingRules, Verdict> vs = ctx.grade(response, r);
                    Verdict v = vs.get(ctx.rules());
                    folder.append(RunFolder.RESULTS, RunFolder.JSON.valueToTree(RrLine.of(r, oc, response,
                            ctx.rules(), vs)));
                    progress.tokens(oc.tokens().length, oc.prefillNanos() + oc.decodeNanos());
                    finished++;
                    progress.done(finished, String.format(Locale.ROOT, "#%d: %d tokens, %d recycled, %s", r.index(),
                            oc.tokens().length, oc.recycledSteps(), v.correct() ? "correct" : "wrong"));
                }
            }
            RrSummary.Finished f = RrSummary.finish(folder, cfg, ctx.rules(), base);
            RrSummary.Totals t = f.totals();
            folder.writeJson(RunFolder.METRICS, RrMetrics.of(t, ctx.rules(), f.warnings(), f.comparison()));
            report.write(folder, f);
            String fired = RrSummary.firingWarning(cfg, t); // the mapping warning came before the run (RrCommand)
            if (fired != null) {
                err.println("mipeaks: warning: " + fired);
                err.flush();
            }
            GradeSummary other = t.byRules().get(ctx.rules().other());
            stdout.printf(Locale.ROOT, "rr: %d problems, accuracy %s under %s rules, %s under %s rules, %d recycled of "
                            + "%d steps; wrote %s%n",
                    t.problems(), dev.mipeaks.eval.Accuracy.format(t.summary().overall()), ctx.rules().label(),
                    dev.mipeaks.eval.Accuracy.format(other.overall()), ctx.rules().other().label(), t.recycled(),
                    t.generated(), out);
            stdout.flush();
            return t;
        }
    }
}
