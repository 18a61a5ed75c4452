package dev.mipeaks.trace;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.generate.CaptureHook;
import dev.mipeaks.generate.GenerationConfig;
import dev.mipeaks.generate.GenerationResult;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.generate.StepHook;
import dev.mipeaks.io.TrajectoryWriter;
import dev.mipeaks.model.ChatTemplate;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.MemoryPlan;
import dev.mipeaks.model.ModelConfig;
import dev.mipeaks.model.ModelSource;
import dev.mipeaks.model.Tokenizer;
import dev.mipeaks.study.ModelSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The work of {@code mipeaks trace}: load, tokenize, generate with a capture hook, write the trajectory. */
public final class TraceRun {
    private TraceRun() {
    }

    public static GenerationResult run(TraceOptions o, PrintWriter out, PrintWriter err) {
        ModelSource src = o.model();
        try (ModelSession session = ModelSession.open(new ModelSession.Request(src, o.device(), o.layersPerDevice(),
                o.computeDtype(), o.memoryCheck()))) {
            ModelConfig config = session.config();
            Tokenizer tok = session.tokenizer();
            int[] prompt = prompt(o, tok);
            int[] layers = o.layers() == null ? all(config.numLayers()) : o.layers();
            for (int l : layers) {
                if (l < 0 || l >= config.numLayers()) {
                    throw MipeaksException.invalid("--layers: layer " + l + " outside [0, " + config.numLayers() + ")");
                }
            }
            for (int id : prompt) {
                if (id < 0 || id >= config.vocabSize()) {
                    // name what gave the id: the user's --prompt-ids, or the tokenizer encoding --prompt
                    throw MipeaksException.invalid(o.promptIds() != null
                            ? "--prompt-ids: id " + id + " outside the model's vocabulary [0, " + config.vocabSize()
                                    + ") (" + o.model().file("config.json") + " vocab_size)"
                            : "--prompt: " + o.model().file("tokenizer.json") + " encodes it to id " + id
                                    + ", outside the model's vocabulary [0, " + config.vocabSize() + ") ("
                                    + o.model().file("config.json") + " vocab_size): tokenizer and model do not match");
                }
            }
            GenerationConfig gc = new GenerationConfig(o.maxNewTokens(), o.temperature(), o.topP(), o.seed(),
                    java.util.Set.of(), o.stopStrings());
            MemoryPlan plan = session.plan(session.workload(1, prompt.length, o.maxNewTokens())
                    .withStates(new MemoryPlan.States(o.maxNewTokens(), layers.length, config.hiddenSize(),
                            o.stateDtype(), 0, 16, o.out().toAbsolutePath().getParent())), err);
            long tl = System.nanoTime();
            LlamaModel model = session.load(plan);
            try (TrajectoryWriter w = new TrajectoryWriter(o.out(), layers, config.hiddenSize(), o.stateDtype())) {
                long loadNanos = System.nanoTime() - tl;
                w.metadata("model", src.recorded());
                if (src.isHub()) {
                    w.metadata("model_snapshot", src.snapshot());
                }
                w.metadata("prompt_ids", TrajectoryWriter.jsonList(prompt));
                w.metadata("compute", model.describeCompute());
                w.metadata("generation", gc.greedy() ? "greedy" : String.format(Locale.ROOT,
                        "temperature %s top_p %s seed %d", gc.temperature(), gc.topP(), gc.seed()));
                Generator g = new Generator(model, tok);
                GenerationResult r = g.generate(prompt, gc, List.of(finiteCheck(src.dir(), layers,
                        config.numLayers() - 1), new CaptureHook(w)));
                if (tok != null) {
                    String text = tok.decode(r.tokens(), false);
                    w.metadata("text", text);
                    out.println(text);
                }
                w.finish(r.stopReason().label());
                out.printf(Locale.ROOT, "trace: %d prompt + %d new tokens (stop: %s); load %.1f s, prefill %.1f ms, "
                                + "decode %.1f tokens/s; wrote %s (%d layers, %s)%n",
                        prompt.length, r.tokens().length, r.stopReason().label(), loadNanos / 1e9,
                        r.prefillNanos() / 1e6, r.decodeTokensPerSecond(), o.out(), layers.length, o.stateDtype());
                out.flush();
                return r;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Stops generation at the first NaN or Inf in a captured state (or the last layer's, which every token comes
     * from): the weights hold non-finite values, and a trajectory of NaN states would be no result.
     */
    /** Stops generation at the first non-finite state of a captured layer or the last layer, naming both. */
    private static StepHook finiteCheck(java.nio.file.Path model, int[] captured, int lastLayer) {
        java.util.TreeSet<Integer> all = new java.util.TreeSet<>();
        for (int l : captured) {
            all.add(l);
        }
        all.add(lastLayer);
        return StepHook.eachLayer(all.stream().mapToInt(Integer::intValue).toArray(), (s, l, h) -> {
            for (int j = 0; j < h.length; j++) {
                if (!Float.isFinite(h[j])) {
                    throw MipeaksException.invalid(String.format(Locale.ROOT, "--model %s: the state after layer "
                            + "%d is %s at step %d (entry %d): the weights hold NaN or Inf values (in layer %d or "
                            + "before); no trajectory written", model, l, h[j], s.step(), j, l));
                }
            }
        });
    }

    private static int[] prompt(TraceOptions o, Tokenizer tok) {
        if (o.promptIds() != null) {
            if (o.chatTemplate()) {
                throw MipeaksException.invalid("--chat-template applies to --prompt text, not to --prompt-ids");
            }
            return o.promptIds();
        }
        if (tok == null) {
            throw MipeaksException.invalid(o.model().file("tokenizer.json")
                    + ": no such file, so --prompt text cannot be tokenized; give --prompt-ids");
        }
        String text = o.promptText();
        boolean special = o.addSpecialTokens();
        if (o.chatTemplate()) {
            java.nio.file.Path cfg = o.model().file("tokenizer_config.json");
            if (!java.nio.file.Files.isRegularFile(cfg)) {
                throw MipeaksException.invalid(cfg + ": no such file, and --chat-template needs its chat_template");
            }
            text = ChatTemplate.fromTokenizerConfig(cfg).renderUser(text);
            special = false; // as transformers' apply_chat_template: the template holds the special tokens
        }
        int[] ids = tok.encode(text, special);
        if (ids.length == 0) {
            throw MipeaksException.invalid("--prompt: the text encodes to no tokens");
        }
        return ids;
    }

    private static int[] all(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
