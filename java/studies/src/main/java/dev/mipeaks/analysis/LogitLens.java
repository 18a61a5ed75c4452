package dev.mipeaks.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.io.Matrix;
import dev.mipeaks.io.SafetensorsFile;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The logit lens at MI peaks: for a stored state h after layer l at step t, the token lm_head(final_norm(h)) would
 * emit. Reads a run's problems/NNNNN.safetensors ({@code hidden.{l}} [T,H]) and the MI trajectories of
 * problems/NNNNN.json, finds the peaks of each layer (IQR and top-k rules, {@link Peaks}) and writes:
 * <ul>
 *   <li>lens.jsonl: one line per problem and layer: the lens token id, text and {@link TokenText} form at every
 *       peak step (and, with
 *       {@code allSteps}, at every step), beside the generated token, and the fraction of computed steps where the
 *       two agree;</li>
 *   <li>lens_tokens.jsonl: per layer, the lens tokens at peak steps counted by word, in the shape of
 *       thinking_tokens.jsonl ({@code {"layer", "word", "freq", "token_ids"}}).</li>
 * </ul>
 * For the last layer under greedy decoding the lens token is the generated token (tested). The lens itself comes
 * from the model runtime through {@link Lens}, so this class needs no native code.
 */
public final class LogitLens {
    private LogitLens() {
    }

    public static final String LENS = "lens.jsonl";
    public static final String LENS_TOKENS = "lens_tokens.jsonl";

    /** Applies final norm + lm_head to states [n][H] and returns the argmax id of each. */
    @FunctionalInterface
    public interface Lens {
        int[] argmax(float[][] states);
    }

    /**
     * The lens of one problem at one layer.
     *
     * @param steps     the steps the lens was computed at, ascending (peak steps, or all steps)
     * @param lensIds   lensIds[i] is the lens token at steps[i]
     * @param iqrPeaks  IQR-rule peak steps, topkPeaks the top-k steps (largest MI first)
     */
    public record LayerLens(int index, String id, int layer, int totalSteps, int[] steps, int[] lensIds,
                            int[] generatedIds, int[] iqrPeaks, int[] topkPeaks) {
        /** The lens token at a computed step. */
        public int lensAt(int step) {
            int i = java.util.Arrays.binarySearch(steps, step);
            if (i < 0) {
                throw new IllegalArgumentException("step " + step + " was not computed");
            }
            return lensIds[i];
        }

        public int agreeing() {
            int n = 0;
            for (int i = 0; i < steps.length; i++) {
                if (lensIds[i] == generatedIds[i]) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * @param layers    the layers lensed
     * @param rule      the peak rule whose lens tokens are counted
     * @param counts    per layer, lens tokens at peak steps counted by word
     * @param agreement per layer, the fraction of computed steps where the lens token is the generated token
     */
    public record Result(List<Integer> layers, int problems, PeakRule rule, Map<Integer, ThinkingTokens> counts,
                         Map<Integer, Double> agreement, List<Path> files) {
    }

    /**
     * Runs the lens over every finished problem of {@code run} at {@code layers} and writes lens.jsonl and
     * lens_tokens.jsonl into {@code outDir}.
     *
     * @param decode   the text of one token id (for lens.jsonl)
     * @param vocab    for the token_ids of lens_tokens.jsonl (every id of a word); null = the ids seen
     * @param allSteps lens at every step (otherwise only at the steps that are a peak under either rule)
     * @param each     sees every problem-layer (may be null)
     */
    public static Result run(RunData run, List<Integer> layers, Lens lens, java.util.function.IntFunction<String> decode,
                             Vocabulary vocab, AnalysisOptions options, boolean allSteps, Path outDir,
                             Consumer<LayerLens> each) throws IOException {
        for (int l : layers) {
            if (!run.config().layers().contains(l)) {
                throw MipeaksException.invalid("--layer " + l + ": run " + run.dir() + " has layers " + run.config().layers());
            }
        }
        if (run.okEntries().isEmpty()) {
            throw MipeaksException.invalid(run.dir() + ": no finished problems (" + RunLayout.MANIFEST
                    + " has no line with status \"ok\")");
        }
        PeakRule rule = options.tokenRule();
        Map<Integer, ThinkingTokens> counts = new LinkedHashMap<>();
        Map<Integer, long[]> agree = new LinkedHashMap<>();
        for (int l : layers) {
            counts.put(l, new ThinkingTokens(options.includeSpecial()));
            agree.put(l, new long[2]);
        }
        Files.createDirectories(outDir);
        Path lensFile = outDir.resolve(LENS);
        int[] problems = {0};
        AtomicFiles.write(lensFile, os -> {
            Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
            for (ManifestEntry e : run.okEntries()) {
                ProblemRecord p = run.problem(e);
                Path file = run.tensorsFile(e);
                if (!Files.isRegularFile(file)) {
                    throw MipeaksException.invalid(file + ": no such file (the logit lens needs the stored hidden states)");
                }
                try (SafetensorsFile st = SafetensorsFile.open(file)) {
                    for (int l : layers) {
                        LayerLens ll = lensOf(p, l, st, file, lens, options, allSteps);
                        int[] counted = rule == PeakRule.IQR ? ll.iqrPeaks() : ll.topkPeaks();
                        for (int s : counted) {
                            int id = ll.lensAt(s);
                            counts.get(l).add(decode.apply(id), id);
                        }
                        agree.get(l)[0] += ll.agreeing();
                        agree.get(l)[1] += ll.steps().length;
                        w.write(JsonFields.MAPPER.writeValueAsString(json(ll, decode)));
                        w.write('\n');
                        if (each != null) {
                            each.accept(ll);
                        }
                    }
                }
                problems[0]++;
            }
            w.flush();
        });
        Map<Integer, Double> agreement = new LinkedHashMap<>();
        agree.forEach((l, a) -> agreement.put(l, a[1] == 0 ? null : (double) a[0] / a[1]));
        Path tokensFile = outDir.resolve(LENS_TOKENS);
        writeTokens(counts, vocab, tokensFile);
        return new Result(List.copyOf(layers), problems[0], rule, counts, agreement, List.of(lensFile, tokensFile));
    }

    /** The lens of one problem at one layer, from the open tensors file. */
    static LayerLens lensOf(ProblemRecord p, int layer, SafetensorsFile st, Path file, Lens lens,
                            AnalysisOptions options, boolean allSteps) {
        String name = RunLayout.hidden(layer);
        if (!st.has(name)) {
            throw MipeaksException.invalid(file + ": tensor '" + name + "' is missing (the run stored no states of layer "
                    + layer + ")");
        }
        Matrix x = st.matrix(name);
        double[] mi = p.mi(layer);
        if (x.rows() != mi.length) {
            throw MipeaksException.invalid(file + ": tensor '" + name + "' has " + x.rows() + " rows but problem "
                    + p.index() + " has " + mi.length + " steps");
        }
        int[] iqr = Peaks.iqrRule(mi);
        int[] topk = mi.length == 0 ? new int[0] : Peaks.topK(mi, options.topK());
        int[] steps;
        if (allSteps) {
            steps = java.util.stream.IntStream.range(0, mi.length).toArray();
        } else {
            TreeSet<Integer> s = new TreeSet<>();
            for (int v : iqr) {
                s.add(v);
            }
            for (int v : topk) {
                s.add(v);
            }
            steps = s.stream().mapToInt(Integer::intValue).toArray();
        }
        float[][] states = new float[steps.length][x.cols()];
        for (int i = 0; i < steps.length; i++) {
            x.rowFloat(steps[i], states[i]);
        }
        int[] ids = steps.length == 0 ? new int[0] : lens.argmax(states);
        int[] gen = new int[steps.length];
        for (int i = 0; i < steps.length; i++) {
            gen[i] = p.tokenIds()[steps[i]];
        }
        return new LayerLens(p.index(), p.id(), layer, mi.length, steps, ids, gen, iqr, topk);
    }

    /**
     * A line of lens.jsonl: a problem at one layer, the share of lensed steps whose lens token is the generated one
     * (null when no step was lensed), the IQR and top-k peaks, and every step's lens id when all were lensed.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"index", "id", "layer", "steps", "lensed_steps", "agreement", "iqr", "topk", "lens_ids"})
    record LensLine(int index, String id, int layer, int steps, int lensedSteps, Double agreement, RulePeaks iqr,
                    RulePeaks topk, @JsonInclude(JsonInclude.Include.NON_NULL) int[] lensIds) {
    }

    /** A rule's peaks in step order (top-k also with each step's rank, 1 = largest MI), aligned lists. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"peak_steps", "ranks", "generated_ids", "lens_ids", "lens_tokens", "lens_shown"})
    record RulePeaks(List<Integer> peakSteps, @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> ranks,
                     List<Integer> generatedIds, List<Integer> lensIds, List<String> lensTokens,
                     List<String> lensShown) {
    }

    static LensLine json(LayerLens ll, java.util.function.IntFunction<String> decode) {
        int n = ll.steps().length;
        return new LensLine(ll.index(), ll.id(), ll.layer(), ll.totalSteps(), n,
                n == 0 ? null : (double) ll.agreeing() / n, peaks(ll, ll.iqrPeaks(), false, decode),
                peaks(ll, ll.topkPeaks(), true, decode), n == ll.totalSteps() && n > 0 ? ll.lensIds() : null);
    }

    private static RulePeaks peaks(LayerLens ll, int[] steps, boolean ranked,
                                   java.util.function.IntFunction<String> decode) {
        List<Integer> order = java.util.stream.IntStream.of(Peaks.stepOrder(steps)).boxed().toList();
        List<Integer> lens = order.stream().map(i -> ll.lensAt(steps[i])).toList();
        List<String> texts = lens.stream().map(decode::apply).toList();
        return new RulePeaks(order.stream().map(i -> steps[i]).toList(),
                ranked ? order.stream().map(i -> i + 1).toList() : null,
                order.stream().map(i -> ll.generatedIds()[java.util.Arrays.binarySearch(ll.steps(), steps[i])]).toList(),
                lens, texts, java.util.stream.IntStream.range(0, lens.size())
                .mapToObj(k -> TokenText.show(texts.get(k), lens.get(k))).toList());
    }

    /** A line of lens_tokens.jsonl: the layer, then a thinking-token table row. */
    record LayerRow(int layer, @JsonUnwrapped ThinkingTokens.Row row) {
    }

    /** lens_tokens.jsonl: per layer (run order), rows sorted by freq descending then word. */
    static void writeTokens(Map<Integer, ThinkingTokens> counts, Vocabulary vocab, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, ThinkingTokens> e : counts.entrySet()) {
            for (ThinkingTokens.Row r : e.getValue().rows(vocab)) {
                sb.append(JsonFields.MAPPER.writeValueAsString(new LayerRow(e.getKey(), r))).append('\n');
            }
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Rows of one layer's counts, most frequent first (for printing). */
    public static List<ThinkingTokens.Row> rows(Result r, int layer, Vocabulary vocab) {
        ThinkingTokens t = r.counts().get(layer);
        return t == null ? new ArrayList<>() : t.rows(vocab);
    }
}
