package dev.mipeaks.generate;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.model.DecodeSession;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.ModelConfig;
import dev.mipeaks.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Autoregressive generation over a {@link LlamaModel}: one or several prompts at once (a batch shares every
 * weight read, which is what limits decoding on a CPU), greedy or sampled, with {@link StepHook}s that capture
 * states, mask logits and recycle layers.
 *
 * <p>Each step: forward, mask, choose a candidate token; if a hook asks to recycle (batch of one only), the position
 * is recomputed with that layer applied twice and the token is chosen again from the new logits (sampling draws
 * again). Hooks then see the final token and states. A row that stops keeps its stopping token; the batch goes on
 * until every row has stopped (finished rows are fed a filler token whose results are discarded).
 */
public final class Generator {
    private final LlamaModel model;
    private final Tokenizer tokenizer;

    /** @param tokenizer may be null (then stop strings are unavailable) */
    public Generator(LlamaModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    public LlamaModel model() {
        return model;
    }

    public GenerationResult generate(int[] promptIds, GenerationConfig cfg, List<StepHook> hooks) {
        return generate(List.of(promptIds), cfg, hooks).get(0);
    }

    public List<GenerationResult> generate(List<int[]> prompts, GenerationConfig cfg, List<StepHook> hooks) {
        ModelConfig c = model.config();
        int batch = prompts.size();
        if (batch == 0) {
            throw new IllegalArgumentException("no prompts");
        }
        int[] layers = captureLayers(hooks, c.numLayers());
        boolean recycling = hooks.stream().anyMatch(StepHook::recycles);
        if (recycling && batch != 1) {
            throw MipeaksException.invalid("recycling needs one prompt at a time, got a batch of " + batch);
        }
        if (!cfg.stopStrings().isEmpty() && tokenizer == null) {
            throw MipeaksException.invalid("stop strings need a tokenizer (the model folder has no tokenizer.json)");
        }
        int maxPrompt = 0;
        for (int[] p : prompts) {
            maxPrompt = Math.max(maxPrompt, p.length);
        }
        int capacity = maxPrompt + cfg.maxNewTokens();
        Row[] rows = new Row[batch];
        for (int b = 0; b < batch; b++) {
            rows[b] = new Row(prompts.get(b), new Random(cfg.seed()));
        }
        BitSet eos = new BitSet();
        for (int e : c.eosTokenIds()) {
            eos.set(e);
        }
        cfg.extraEosIds().forEach(eos::set);
        int stopTail = stopTail(cfg);

        try (DecodeSession session = new DecodeSession(model, batch, capacity)) {
            int[] step = {0};
            DecodeSession.Recycler recycler = first -> {
                for (int b = 0; b < batch; b++) {
                    Row r = rows[b];
                    if (r.done) {
                        continue;
                    }
                    r.banned.clear();
                    for (StepHook h : hooks) {
                        h.mask(b, step[0], r.banned);
                    }
                    r.candidate = choose(first[b], r, cfg);
                }
                if (!recycling || rows[0].done) {
                    return -1;
                }
                for (StepHook h : hooks) {
                    int l = h.recycle(0, step[0], rows[0].candidate);
                    if (l >= 0) {
                        return l;
                    }
                }
                return -1;
            };
            long t0 = System.nanoTime();
            int[][] ps = prompts.toArray(new int[0][]);
            DecodeSession.Output out = session.prefill(ps, layers, recycler);
            long prefill = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            while (true) {
                boolean allDone = true;
                int[] feed = new int[batch];
                for (int b = 0; b < batch; b++) {
                    Row r = rows[b];
                    if (r.done) {
                        feed[b] = r.lastFed;
                        continue;
                    }
                    int token = out.recycledLayer() >= 0 ? choose(out.logits()[b], r, cfg) : r.candidate;
                    if (out.recycledLayer() >= 0) {
                        r.recycled++;
                    }
                    r.tokens.add(token);
                    float[][] hid = new float[layers.length][];
                    for (int i = 0; i < layers.length; i++) {
                        hid[i] = out.hidden()[i][b];
                    }
                    StepHook.Step s = new StepHook.Step(b, step[0], token, out.recycledLayer(), layers, hid);
                    for (StepHook h : hooks) {
                        h.onStep(s);
                    }
                    StopReason why = eos.get(token) ? StopReason.EOS
                            : stopStringHit(r, cfg, stopTail) ? StopReason.STOP_STRING
                            : r.tokens.size() >= cfg.maxNewTokens() ? StopReason.MAX_NEW_TOKENS : null;
                    if (why != null) {
                        r.done = true;
                        r.reason = why;
                    } else {
                        allDone = false;
                    }
                    feed[b] = token;
                    r.lastFed = token;
                }
                if (allDone) {
                    break;
                }
                step[0]++;
                out = session.decode(feed, layers, recycler);
            }
            long decode = System.nanoTime() - t1;
            List<GenerationResult> results = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                Row r = rows[b];
                GenerationResult g = new GenerationResult(r.prompt.clone(), r.tokens.stream().mapToInt(Integer::intValue)
                        .toArray(), r.reason, r.recycled, prefill, decode);
                results.add(g);
                for (StepHook h : hooks) {
                    h.onFinish(b, g);
                }
            }
            return results;
        }
    }

    /** Ground-truth states: the residual stream after each of {@code layers} at the last position of {@code ids}. */
    public float[][] forwardHidden(int[] ids, int[] layers) {
        for (int l : layers) {
            checkLayer(l, model.config().numLayers());
        }
        try (DecodeSession s = new DecodeSession(model, 1, ids.length)) {
            DecodeSession.Output out = s.prefill(new int[][] {ids}, layers, null);
            float[][] h = new float[layers.length][];
            for (int i = 0; i < layers.length; i++) {
                h[i] = out.hidden()[i][0];
            }
            return h;
        }
    }

    private static int choose(float[] logits, Row r, GenerationConfig cfg) {
        int id = cfg.greedy() ? Sampler.argmax(logits, r.banned)
                : Sampler.sample(logits, r.banned, cfg.temperature(), cfg.topP(), r.rng);
        if (id < 0) {
            throw MipeaksException.invalid("every token id is masked: nothing left to generate");
        }
        return id;
    }

    private static int stopTail(GenerationConfig cfg) {
        int longest = 0;
        for (String s : cfg.stopStrings()) {
            longest = Math.max(longest, s.length());
        }
        // a character is at most 4 UTF-8 bytes and a token at least one byte
        return 4 * longest + 4;
    }

    private boolean stopStringHit(Row r, GenerationConfig cfg, int tail) {
        if (cfg.stopStrings().isEmpty()) {
            return false;
        }
        int n = r.tokens.size();
        int from = Math.max(0, n - tail);
        int[] ids = new int[n - from];
        for (int i = from; i < n; i++) {
            ids[i - from] = r.tokens.get(i);
        }
        String text = tokenizer.decode(ids, false);
        for (String s : cfg.stopStrings()) {
            if (text.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static int[] captureLayers(List<StepHook> hooks, int numLayers) {
        TreeSet<Integer> set = new TreeSet<>();
        for (StepHook h : hooks) {
            for (int l : h.layers()) {
                checkLayer(l, numLayers);
                set.add(l);
            }
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void checkLayer(int l, int numLayers) {
        if (l < 0 || l >= numLayers) {
            throw MipeaksException.invalid("layer " + l + " outside [0, " + numLayers + ") (blocks." + l
                    + ".hook_resid_post)");
        }
    }

    /** Per-sequence state of a batch. */
    private static final class Row {
        final int[] prompt;
        final Random rng;
        final List<Integer> tokens = new ArrayList<>();
        final BitSet banned = new BitSet();
        int candidate;
        int lastFed;
        int recycled;
        boolean done;
        StopReason reason;

        Row(int[] prompt, Random rng) {
            this.prompt = prompt;
            this.rng = rng;
            this.lastFed = prompt.length == 0 ? 0 : prompt[prompt.length - 1];
        }

        @Override
        public String toString() {
            return Arrays.toString(prompt) + " -> " + tokens;
        }
    }
}
