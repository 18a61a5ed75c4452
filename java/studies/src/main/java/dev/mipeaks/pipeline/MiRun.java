package dev.mipeaks.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.ManifestEntry;
import dev.mipeaks.analysis.ProblemRecord;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.analysis.RunOutputs;
import dev.mipeaks.analysis.RunReader;
import dev.mipeaks.analysis.RunWriter;
import dev.mipeaks.analysis.TokenizerVocabulary;
import dev.mipeaks.eval.Dataset;
import dev.mipeaks.eval.DatasetLoader;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.Prompts;
import dev.mipeaks.generate.CaptureHook;
import dev.mipeaks.generate.GenerationConfig;
import dev.mipeaks.generate.GenerationResult;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.generate.StepHook;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.OutputPaths;
import dev.mipeaks.io.TrajectoryWriter;
import dev.mipeaks.mi.MiBackend;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.MemoryPlan;
import dev.mipeaks.model.ModelConfig;
import dev.mipeaks.model.ModelSource;
import dev.mipeaks.model.Placement;
import dev.mipeaks.model.Tokenizer;
import dev.mipeaks.report.RunReport;
import dev.mipeaks.study.Fingerprints;
import dev.mipeaks.study.ModelSession;
import dev.mipeaks.study.Progress;
import dev.mipeaks.study.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The work of {@code mipeaks run}: for each problem of a dataset (of this shard), the ground-truth state (forward
 * pass of the solution text, last token, every captured layer; by another checkpoint with {@code --gt-model}, as the
 * reference's cal_mi.py --gt_model, computed for all problems before the generating model loads), then generation
 * from the prompt with the state of
 * every step streamed to the problem's tensors file and its MI against the ground truth computed chunk by chunk
 * through the MI backend; then peaks, statistics, thinking tokens, plots and report.md.
 *
 * <p>Resumable: a problem's files are written atomically and its manifest line is appended only after both exist,
 * so the manifest is the list of finished problems; a rerun skips them and an interrupted problem is redone. Problem
 * files hold no timings (those go to timings.jsonl), so interrupted-and-resumed, sharded-and-merged and plain runs
 * write the same bytes.
 */
public final class MiRun {
    /** Appended per problem: wall times, not part of the results. */
    public static final String TIMINGS = "timings.jsonl";
    public static final String FORMAT = "mipeaks-run-v1";

    /** What a run did in this session. */
    public record Summary(int selected, int resumed, int done, int skipped, long steps, long pairs, double seconds,
                          RunOutputs.Written peaks, Path report) {
        public double stepsPerSecond() {
            return seconds > 0 ? steps / seconds : 0;
        }

        public double pairsPerSecond() {
            return seconds > 0 ? pairs / seconds : 0;
        }

        public double problemsPerMinute() {
            return seconds > 0 ? done * 60.0 / seconds : 0;
        }
    }

    private MiRun() {
    }

    public static Summary run(RunOptions o, PrintWriter out, PrintWriter err) throws IOException {
        Path dir = o.out().toAbsolutePath().normalize();
        // inputs first (dataset, model config, tokenizer, estimator): every mistake is found before the model loads
        DatasetLoader loader = (o.dataRoot() == null ? new DatasetLoader() : new DatasetLoader().withDataRoot(o.dataRoot()))
                .withFields(o.fields()).withOffset(o.offset()).withLimit(o.limit());
        Path dataFile = loader.resolve(o.dataset()).toAbsolutePath().normalize();
        Dataset ds = loader.load(o.dataset());
        List<DatasetRecord> mine = ds.records().stream().filter(r -> o.shard().owns(r.index())).toList();
        ModelSource src = o.model();
        Path modelDir = src.dir();
        ModelConfig mc = src.config();
        if (!src.hasTokenizer()) {
            throw MipeaksException.invalid(src.file("tokenizer.json") + ": no such file (mipeaks run needs the "
                    + "model's tokenizer to encode problems and solutions)");
        }
        int[] layers = resolveLayers(o.layers(), mc.numLayers());
        ModelSource gtSrc = o.gtModel();
        Path gtDir = gtSrc == null ? null : gtSrc.dir();
        if (gtDir != null) {
            checkGtModel(gtDir, mc, modelDir, layers);
        }
        UnaryOperator<String> template = Prompts.byName(o.promptTemplate(), modelDir);
        String modelDeviceOption = o.modelDevice() != null ? o.modelDevice() : o.device() == null ? "auto" : o.device();
        // checked now: a device that fails only when the model loads would leave its config.json behind
        LlamaModel.checkDevices(o.modelDevice() != null ? "--model-device" : "--device", modelDeviceOption);

        if (o.analysis() != null && o.analysis().layer() != null
                && java.util.Arrays.stream(layers).noneMatch(l -> l == o.analysis().layer())) {
            throw MipeaksException.invalid("--layer " + o.analysis().layer() + ": not one of the captured layers "
                    + java.util.Arrays.toString(layers) + " (--layers " + o.layers() + ")");
        }
        OutputPaths.requireNotInput("--out", dir, Map.of(modelDir, "--model", dataFile, "--dataset"));
        try (MiBackend backend = MiBackends.open(miDevice(o.device()), o.estimator(), o.estimatorParams(), o.threads(),
                err);
             RunFolder folder = RunFolder.open(dir, FOLDER.withCommand(o.notice() == null ? "run" : "demo"), o.force(),
                     err)) {
            GenerationConfig gc = GenerationConfig.sampling(o.maxNewTokens(), o.temperature(), o.topP(), o.seed());
            ModelSession session = null;
            ExecutorService miWorker = null;
            Progress.Notice onInterrupt = null;
            try {
                session = ModelSession.open(new ModelSession.Request(src, modelDeviceOption, o.layersPerDevice(),
                        o.computeDtype(), o.memoryCheck()));
                Tokenizer tok = session.tokenizer();
                Lengths lengths = Lengths.of(mine, tok, template, o, mc.maxPositionEmbeddings(), gtDir == null);
                MemoryPlan plan = session.choose(planRequest(o, session, lengths, layers, dir, backend), err);
                String computeDtype = plan.computeDtype();
                MiRunConfig config = config(o, src, dataFile, ds.name(), layers, backend, computeDtype);
                if (gtSrc != null) {
                    // absent without --gt-model, so folders of earlier versions resume
                    config = config.withGtModel(gtSrc.recorded(), gtSrc.isHub() ? gtSrc.snapshot() : null,
                            Fingerprints.model(gtDir));
                }
                List<ManifestEntry> finished = prepareFolder(folder, config.toJson());
                Set<Integer> have = new TreeSet<>();
                finished.forEach(e -> have.add(e.index()));
                List<DatasetRecord> todo = mine.stream().filter(r -> !have.contains(r.index())).toList();
                int resumed = mine.size() - todo.size();
                String notice = o.notice() == null ? "" : " [" + o.notice() + "]";
                err.printf(Locale.ROOT, "run %s: %d problems of %s%s (%d finished before, %d to do); model %s (%s %s); "
                                + "layers %s; MI %s on %s%s%n", dir, mine.size(), ds.name(),
                        o.shard().whole() ? "" : " in shard " + o.shard().label(), resumed, todo.size(), src.label(),
                        plan.placement().label(), computeDtype, layerList(layers), o.estimator(), backend.describe(),
                        notice);
                err.flush();
                Progress progress = new Progress(err, "run", "problems", mine.size(), resumed);
                onInterrupt = progress.onInterrupt(() -> String.format(Locale.ROOT, "%ninterrupted: %d problems "
                        + "finished in %s (%d this session); the problem in flight is lost; rerun the same command to "
                        + "resume", resumed + progress.ran(), dir, progress.ran()));
                miWorker = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "mipeaks-mi-stream");
                    t.setDaemon(true);
                    return t;
                });
                if (!todo.isEmpty()) {
                    plan.print(err);
                    plan.check(o.memoryCheck());
                }
                Map<Integer, GroundTruth> gts = null;
                if (!todo.isEmpty() && gtDir != null) {
                    gts = groundTruths(gtSrc, o, todo, layers, plan, err);
                }
                if (!todo.isEmpty()) {
                    long tl = System.nanoTime();
                    LlamaModel model = session.load(plan.placement(), computeDtype);
                    try {
                        err.printf(Locale.ROOT, "model loaded in %.1f s%n", (System.nanoTime() - tl) / 1e9);
                        Generator gen = new Generator(model, tok);
                        Problem p = new Problem(o, dir, src, layers, mc.hiddenSize(), mc.maxPositionEmbeddings(), gen,
                                gc, tok, template, backend, miWorker, progress, gts);
                        for (DatasetRecord r : todo) {
                            p.run(r);
                        }
                    } finally {
                        session.unload(); // the weights are not needed for the analysis
                    }
                }
                double seconds = progress.seconds();
                RunOutputs.Written peaks = o.report() ? analyse(dir, o, tok, err) : null;
                Path report = peaks == null ? null : dir.resolve(RunLayout.REPORT);
                Summary s = new Summary(mine.size(), resumed, (int) progress.ran(), (int) progress.skipped(), progress.steps(),
                        progress.pairs(), seconds, peaks, report);
                out.printf(Locale.ROOT, "run %s: %d problems (%d this session, %d resumed, %d skipped); %d steps in "
                                + "%.1f s: %.2f problems/min, %.1f steps/s, %.1f MI pairs/s%n", dir, mine.size(), s.done(),
                        resumed, s.skipped(), s.steps(), s.seconds(), s.problemsPerMinute(), s.stepsPerSecond(),
                        s.pairsPerSecond());
                out.flush();
                return s;
            } finally {
                if (miWorker != null) {
                    miWorker.shutdownNow();
                }
                if (session != null) {
                    session.close();
                }
                if (onInterrupt != null) {
                    onInterrupt.close();
                }
            }
        }
    }

    /** The MI backend's device: --device, or the first of a device list (the model's layers may span the list). */
    static String miDevice(String device) {
        if (device == null) {
            return "auto";
        }
        int comma = device.indexOf(',');
        return comma < 0 ? device : device.substring(0, comma).trim();
    }

    /**
     * Token lengths of the problems of this session, for the memory plan and for skipping a problem whose prompt
     * plus max new tokens, or whose solution, exceeds the model's positions.
     *
     * @param prompt    the longest prompt among the problems that fit (0 when none)
     * @param solution  the longest solution among them (0 when another model gives the ground truths)
     * @param minPrompt the shortest prompt of all (for the error when none fits)
     */
    record Lengths(int prompt, int promptIndex, int solution, int solutionIndex, int minPrompt, int fitting) {
        static Lengths of(List<DatasetRecord> records, Tokenizer tok, UnaryOperator<String> template, RunOptions o,
                          int maxPositions, boolean solutions) {
            int prompt = 0;
            int promptIndex = -1;
            int solution = 0;
            int solutionIndex = -1;
            int minPrompt = Integer.MAX_VALUE;
            int fitting = 0;
            boolean chat = o.promptTemplate().equals("chat");
            for (DatasetRecord r : records) {
                if (r.solution() == null || r.solution().isBlank()) {
                    continue;
                }
                int p = tok.encode(template.apply(r.problem()), o.addSpecialTokens() && !chat).length;
                int g = solutions ? tok.encode(r.solution(), o.addSpecialTokens()).length : 0;
                minPrompt = Math.min(minPrompt, p);
                if (p + (long) o.maxNewTokens() > maxPositions || g > maxPositions) {
                    continue;
                }
                fitting++;
                if (p > prompt) {
                    prompt = p;
                    promptIndex = r.index();
                }
                if (g > solution) {
                    solution = g;
                    solutionIndex = r.index();
                }
            }
            return new Lengths(prompt, promptIndex, solution, solutionIndex,
                    minPrompt == Integer.MAX_VALUE ? 0 : minPrompt, fitting);
        }
    }

    /** What the run will hold: the longest prompt (or solution) that fits, max new tokens, the captured states. */
    static MemoryPlan.Request planRequest(RunOptions o, ModelSession session, Lengths len, int[] layers, Path dir,
                                          MiBackend backend) {
        ModelConfig mc = session.config();
        long prompt = len.fitting() == 0 ? len.minPrompt() : len.prompt();
        long positions = Math.max(prompt + o.maxNewTokens(), len.solution());
        String why = len.fitting() == 0 ? "shortest prompt " + prompt + " + max new tokens " + o.maxNewTokens()
                : len.solution() > prompt + o.maxNewTokens()
                ? "longest solution " + len.solution() + " (problem " + len.solutionIndex() + ")"
                : "longest prompt " + prompt + " (problem " + len.promptIndex() + ") + max new tokens " + o.maxNewTokens();
        MemoryPlan.Request req = session.workload(1, prompt, o.maxNewTokens())
                .withPositions(Math.max(prompt, len.solution()), positions, why)
                .withStates(new MemoryPlan.States(o.maxNewTokens(), layers.length, mc.hiddenSize(), o.stateDtype(),
                        (long) (MiStream.IN_FLIGHT + 1) * o.chunk(), 16 + 16L * layers.length,
                        dir.resolve(RunLayout.PROBLEMS_DIR)));
        String mi = backend.describe();
        if (mi.startsWith("cuda")) {
            String d = mi.split("[ (]", 2)[0];
            // pinned host and device buffers of the kernels: about 1.2 GB at m = 4096, in proportion to m
            long bytes = Math.max(256L << 20, (long) (1.25 * (1L << 30) * mc.hiddenSize() / 4096.0));
            req = req.withExtra(new MemoryPlan.Extra(d, "MI engine buffers", bytes));
        }
        return req;
    }

    /**
     * A problem's ground truth: the solution's ids and the last token's state after each captured layer; states null
     * with the reason when they could not be computed.
     */
    record GroundTruth(int[] ids, float[][] states, String skip) {
    }

    /** --gt-model: same hidden size, every captured layer present, a tokenizer (exit 2 naming what differs). */
    static void checkGtModel(Path gtDir, ModelConfig mc, Path modelDir, int[] layers) {
        ModelConfig gc = ModelConfig.load(gtDir);
        if (gc.hiddenSize() != mc.hiddenSize()) {
            throw MipeaksException.invalid(gtDir.resolve("config.json") + ": hidden_size " + gc.hiddenSize()
                    + " differs from the model's " + mc.hiddenSize() + " (" + modelDir.resolve("config.json")
                    + "): --gt-model needs states of the same size");
        }
        for (int l : layers) {
            if (l >= gc.numLayers()) {
                throw MipeaksException.invalid(gtDir.resolve("config.json") + ": num_hidden_layers " + gc.numLayers()
                        + " has no layer " + l + " (--layers)");
            }
        }
        if (!Tokenizer.present(gtDir)) {
            throw MipeaksException.invalid(gtDir.resolve("tokenizer.json") + ": no such file (--gt-model encodes the "
                    + "solutions with its own tokenizer)");
        }
    }

    /** The ground truths of {@code todo} by the --gt-model checkpoint (loaded, used, closed before the model loads). */
    static Map<Integer, GroundTruth> groundTruths(ModelSource gtSrc, RunOptions o, List<DatasetRecord> todo,
                                                  int[] layers, MemoryPlan plan, PrintWriter err) {
        Path gtDir = gtSrc.dir();
        Map<Integer, GroundTruth> out = new java.util.HashMap<>();
        long t0 = System.nanoTime();
        ModelConfig gc = ModelConfig.load(gtDir);
        // on the model's devices (loaded and closed before the model loads), its layers spread the same way
        Placement p = plan.placement();
        Placement gtPlace = p.isSplit() ? Placement.of(p.blocks().stream().map(Placement.Block::device).toList(), null,
                gc.numLayers()) : Placement.single(p.first().device(), gc.numLayers());
        try (ModelSession gtSession = ModelSession.open(new ModelSession.Request(gtSrc, null, null,
                plan.computeDtype(), false))) {
            Tokenizer gtTok = gtSession.requireTokenizer("--gt-model encodes the solutions with its own tokenizer");
            Generator g = new Generator(gtSession.load(gtPlace, plan.computeDtype()), gtTok);
            for (DatasetRecord r : todo) {
                if (r.solution() == null || r.solution().isBlank()) {
                    continue;
                }
                int[] ids = gtTok.encode(r.solution(), o.addSpecialTokens());
                String skip = ids.length > gc.maxPositionEmbeddings() ? "the solution is " + ids.length + " tokens of "
                        + "--gt-model, more than its max_position_embeddings " + gc.maxPositionEmbeddings() : null;
                out.put(r.index(), new GroundTruth(ids, ids.length == 0 || skip != null ? null
                        : g.forwardHidden(ids, layers), skip));
            }
        }
        err.printf(Locale.ROOT, "ground truths of %d problems by %s in %.1f s%n", out.size(), gtSrc.label(),
                (System.nanoTime() - t0) / 1e9);
        err.flush();
        return out;
    }

    /** One problem: ground truth, generation with streamed states and MI, files, manifest line. */
    private record Problem(RunOptions o, Path dir, ModelSource src, int[] layers, int hidden, int maxPositions,
                           Generator gen, GenerationConfig gc, Tokenizer tok, UnaryOperator<String> template,
                           MiBackend backend, ExecutorService miWorker, Progress progress,
                           Map<Integer, GroundTruth> gts) {

        void run(DatasetRecord r) throws IOException {
            String stem = RunLayout.stem(r.index());
            long t0 = System.nanoTime();
            if (r.solution() == null || r.solution().isBlank()) {
                skip(r, "no solution text (the ground-truth state is the solution's forward pass)");
                return;
            }
            String promptText = template.apply(r.problem());
            boolean chat = o.promptTemplate().equals("chat");
            int[] promptIds = tok.encode(promptText, o.addSpecialTokens() && !chat);
            if (promptIds.length == 0) {
                skip(r, "the prompt encodes to no tokens");
                return;
            }
            GroundTruth gt = gts != null ? gts.get(r.index()) : null;
            int[] gtIds = gt != null ? gt.ids() : tok.encode(r.solution(), o.addSpecialTokens());
            if (gtIds.length == 0) {
                skip(r, "the solution encodes to no tokens");
                return;
            }
            if (promptIds.length + (long) o.maxNewTokens() > maxPositions) {
                skip(r, "prompt " + promptIds.length + " tokens + max new tokens " + o.maxNewTokens() + " = "
                        + (promptIds.length + o.maxNewTokens()) + " positions, more than the model's "
                        + "max_position_embeddings " + maxPositions);
                return;
            }
            if (gt != null && gt.skip() != null) {
                skip(r, gt.skip());
                return;
            }
            if (gt == null && gtIds.length > maxPositions) {
                skip(r, "the solution is " + gtIds.length + " tokens, more than the model's max_position_embeddings "
                        + maxPositions + " (its forward pass gives the ground-truth state)");
                return;
            }
            float[][] gtStates = gt != null ? gt.states() : gen.forwardHidden(gtIds, layers);
            long t1 = System.nanoTime();
            DType dtype = o.stateDtype();
            Path tensors = dir.resolve(RunLayout.problemTensors(r.index()));
            GenerationResult g;
            double[][] mi;
            long t2;
            MiStream mis = new MiStream(backend, miWorker, RunLayout.problemTensors(r.index()), layers, gtStates, dtype,
                    o.chunk(), progress::pairs);
            if (mis.nonFinite() != null) {
                skip(r, mis.nonFinite());
                return;
            }
            try (TrajectoryWriter w = new TrajectoryWriter(tensors, layers, hidden, dtype)) {
                w.metadata("model", src.recorded());
                if (src.isHub()) {
                    w.metadata("model_snapshot", src.snapshot());
                }
                w.metadata("index", Integer.toString(r.index()));
                w.metadata("id", r.id());
                w.metadata("prompt_ids", TrajectoryWriter.jsonList(promptIds));
                w.metadata("gt_ids", TrajectoryWriter.jsonList(gtIds));
                w.metadata("estimator", backend.estimator().name());
                g = gen.generate(promptIds, gc, List.of(new CaptureHook(w), mis,
                        ticking(progress.within("problem " + stem, o.maxNewTokens(), 10_000))));
                t2 = System.nanoTime();
                mi = mis.finish();
                if (mi == null) {
                    // no tensors file: the writer is closed without finish, which deletes its spills
                    w.close();
                    skip(r, mis.nonFinite());
                    return;
                }
                for (int i = 0; i < layers.length; i++) {
                    w.extraTensor(RunLayout.gtHidden(layers[i]), dtype, new long[] {hidden}, mis.storedGt(i));
                }
                for (int i = 0; i < layers.length; i++) {
                    ByteBuffer b = ByteBuffer.allocate(mi[i].length * 8).order(ByteOrder.LITTLE_ENDIAN);
                    b.asDoubleBuffer().put(mi[i]);
                    w.extraTensor(RunLayout.mi(layers[i]), DType.F64, new long[] {mi[i].length}, b);
                }
                w.finish(g.stopReason().label());
            } finally {
                mis.cancel();
            }
            List<String> decoded = tok.decodedVocabulary();
            List<String> tokens = new ArrayList<>();
            for (int id : g.tokens()) {
                tokens.add(id < decoded.size() ? decoded.get(id) : "");
            }
            Map<Integer, double[]> miByLayer = new LinkedHashMap<>();
            List<Integer> layerList = new ArrayList<>();
            for (int i = 0; i < layers.length; i++) {
                miByLayer.put(layers[i], mi[i]);
                layerList.add(layers[i]);
            }
            ProblemRecord rec = new ProblemRecord(r.index(), r.id(), r.problem(), r.answer(),
                    tok.decode(g.tokens(), true), g.stopReason().label(), promptIds, g.tokens(), tokens, layerList,
                    backend.estimator().name(), miByLayer);
            String file = RunWriter.writeProblem(dir, rec);
            RunWriter.appendManifest(dir, new ManifestEntry(r.index(), r.id(), RunLayout.STATUS_OK, null, file));
            long t3 = System.nanoTime();
            timing(r, g.tokens().length, promptIds.length, gtIds.length, t0, t1, t2, t3);
            progress.finished(String.format(Locale.ROOT, "%s: %d steps (%s) in %.1f s", stem, g.tokens().length,
                    g.stopReason().label(), (t3 - t0) / 1e9), g.tokens().length, false);
        }

        private void skip(DatasetRecord r, String reason) throws IOException {
            RunWriter.appendManifest(dir, new ManifestEntry(r.index(), r.id(), RunLayout.STATUS_SKIPPED, reason, null));
            progress.finished(RunLayout.stem(r.index()) + " skipped: " + reason, 0, true);
        }

        private void timing(DatasetRecord r, int steps, int prompt, int gt, long t0, long t1, long t2, long t3)
                throws IOException {
            ObjectNode n = RunFolder.JSON.createObjectNode();
            n.put("index", r.index());
            n.put("steps", steps);
            n.put("prompt_tokens", prompt);
            n.put("gt_tokens", gt);
            n.put("gt_s", (t1 - t0) / 1e9);
            n.put("generate_s", (t2 - t1) / 1e9);
            n.put("mi_wait_s", (t3 - t2) / 1e9);
            n.put("total_s", (t3 - t0) / 1e9);
            AtomicFiles.append(dir.resolve(TIMINGS), (n + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Peaks, statistics, thinking tokens (with the tokenizer's vocabulary), plots and report.md. */
    static RunOutputs.Written analyse(Path dir, RunOptions o, Tokenizer tok, PrintWriter err) throws IOException {
        if (RunReader.open(dir).okEntries().isEmpty()) {
            err.println("no problem analysed (all skipped or none selected): no peaks or report written");
            return null;
        }
        TokenizerVocabulary vocab = tok == null ? null : new TokenizerVocabulary(tok);
        RunOutputs.Written w = RunOutputs.peaks(dir, o.analysis(), vocab, List.of(), null, o.threads());
        RunReport.write(dir, o.analysis(), vocab);
        return w;
    }

    /**
     * A pipeline run folder: manifest.jsonl lists the finished problems (the commit point). {@code created} is not
     * compared; the slice ({@code offset}, {@code limit}) is rewritten when it changes (a larger --limit or another
     * slice: the same run, more problems).
     */
    static final RunFolder.Kind FOLDER = RunFolder.Kind.of("run", "a run folder", RunLayout.MANIFEST)
            .notComparing("created").withSlice("offset", "limit");

    /**
     * Claims the run folder for this configuration (exit 2 naming the first differing field of another one), deletes
     * what an interrupted session left and cuts a torn last manifest line; returns the manifest of finished problems.
     */
    static List<ManifestEntry> prepareFolder(RunFolder folder, ObjectNode config) throws IOException {
        folder.claim(config);
        cleanStale(folder.dir().resolve(RunLayout.PROBLEMS_DIR));
        folder.lines(RunLayout.MANIFEST);
        return RunReader.open(folder.dir()).manifest();
    }

    /** Deletes temporary and spill files an interrupted session left (hidden files in problems/). */
    static void cleanStale(Path problems) throws IOException {
        if (!Files.isDirectory(problems)) {
            return;
        }
        try (Stream<Path> s = Files.list(problems)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && (n.endsWith(".tmp") || n.endsWith(".spill"))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static MiRunConfig config(RunOptions o, ModelSource src, Path dataFile, String datasetName, int[] layers,
                              MiBackend backend, String computeDtype) {
        Map<String, Object> params = new LinkedHashMap<>();
        backend.estimator().parameters().forEach((k, v) -> {
            Object j = v instanceof dev.mipeaks.mi.Sigma s ? s.json() : v;
            params.put(k, j instanceof Number n ? (Object) n.doubleValue() : String.valueOf(j));
        });
        return new MiRunConfig(FORMAT, src.recorded(), src.isHub() ? src.snapshot() : null,
                DatasetLoader.KNOWN.contains(datasetName) ? datasetName : dataFile.toString(),
                java.util.Arrays.stream(layers).boxed().toList(), backend.estimator().name(), params,
                o.maxNewTokens(), o.promptTemplate(), Instant.now().toString(), o.notice(),
                Fingerprints.model(src.dir()), dataFile.toString(), Fingerprints.file(dataFile),
                new java.util.TreeMap<>(o.fields()), o.offset(), o.limit(), o.addSpecialTokens(),
                new MiRunConfig.Generation(o.temperature(), o.topP(), o.seed()), computeDtype, o.stateDtype().name(),
                o.shard().whole() ? null : o.shard().label(), null, null, null);
    }

    /** The {@code --layers} vocabulary of run and trace: "all", "last" or "0,5,31" (sorted, each once). */
    public static int[] resolveLayers(String spec, int numLayers) {
        String s = spec == null ? "last" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("all")) {
            int[] all = new int[numLayers];
            for (int i = 0; i < numLayers; i++) {
                all[i] = i;
            }
            return all;
        }
        if (s.equals("last")) {
            return new int[] {numLayers - 1};
        }
        TreeSet<Integer> set = new TreeSet<>();
        for (String part : s.split(",")) {
            int l;
            try {
                l = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw MipeaksException.invalid("--layers '" + spec + "': expected all, last or layer indices like 0,15,31");
            }
            if (l < 0 || l >= numLayers) {
                throw MipeaksException.invalid("--layers: layer " + l + " outside [0, " + numLayers + ") of the model");
            }
            set.add(l);
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A step hook that ticks {@code t} at every generated step. */
    private static StepHook ticking(Progress.Ticker t) {
        return new StepHook() {
            @Override
            public void onStep(Step s) {
                t.step(s.step());
            }
        };
    }

    static String layerList(int[] layers) {
        return layers.length > 6 ? layers.length + " (" + layers[0] + ".." + layers[layers.length - 1] + ")"
                : java.util.Arrays.toString(layers);
    }
}
