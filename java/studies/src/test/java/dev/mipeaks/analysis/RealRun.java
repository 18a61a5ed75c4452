package dev.mipeaks.analysis;

import dev.mipeaks.SharedData;
import dev.mipeaks.eval.Dataset;
import dev.mipeaks.eval.DatasetLoader;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.generate.GenerationConfig;
import dev.mipeaks.generate.GenerationResult;
import dev.mipeaks.generate.Generator;
import dev.mipeaks.generate.StepHook;
import dev.mipeaks.io.Matrix;
import dev.mipeaks.mi.CpuMiBackend;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.EstimatorRegistry;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run folder written from real generations on a shared tiny model: the first MATH-500 problems as raw text (no
 * BOS, no template) through the byte tokenizer, greedy, states of the chosen layers captured at every step, the
 * ground-truth state from the solution text (its first {@link #GT_TOKENS} tokens, so it fits every model's
 * positions), MI = the registry's nhsic at the given sigma. What the pipeline writes, built from the library.
 */
public final class RealRun {
    static final int GT_TOKENS = 200;

    private RealRun() {
    }

    /** The shared model folder, or a skipped test when ../shared is absent. */
    public static Path model(String name) {
        Path d = SharedData.require("models/" + name);
        SharedData.require("data/math500/test.jsonl");
        return d;
    }

    /** Writes {@code dir} and returns it. */
    public static Path write(Path dir, String modelName, int problems, int maxNew, int[] layers, String sigma)
            throws IOException {
        Path modelDir = model(modelName);
        Path data = SharedData.require("data");
        Dataset ds = new DatasetLoader().withDataRoot(data).withLimit(problems).load("math500");
        List<Integer> layerList = Arrays.stream(layers).boxed().toList();
        RunWriter.writeConfig(dir, new RunConfig(modelDir.toString(), "math500", layerList, "nhsic",
                Map.of("sigma", Double.parseDouble(sigma), "eps", 1e-5), maxNew, "raw", "2025-01-01T00:00:00Z", null));
        try (LlamaModel m = LlamaModel.load(modelDir, LlamaModel.Options.defaults());
             Tokenizer tok = Tokenizer.load(modelDir);
             CpuMiBackend mi = new CpuMiBackend(EstimatorRegistry.load().create("nhsic",
                     Map.of("sigma", sigma, "eps", "1e-5")), 1)) {
            Generator gen = new Generator(m, tok);
            int h = m.config().hiddenSize();
            for (DatasetRecord r : ds.records()) {
                Map<Integer, List<float[]>> states = new LinkedHashMap<>();
                layerList.forEach(l -> states.put(l, new ArrayList<>()));
                StepHook capture = StepHook.eachLayer(layers, (s, l, hidden) -> states.get(l).add(hidden.clone()));
                int[] prompt = tok.encode(r.problem(), false);
                GenerationResult g = gen.generate(prompt, GenerationConfig.greedy(maxNew), List.of(capture));
                int[] sol = tok.encode(r.solution(), false);
                float[][] gt = gen.forwardHidden(Arrays.copyOf(sol, Math.min(sol.length, GT_TOKENS)), layers);
                int t = g.tokens().length;
                Map<Integer, double[]> mis = new LinkedHashMap<>();
                Map<Integer, float[]> hs = new LinkedHashMap<>();
                Map<Integer, float[]> gs = new LinkedHashMap<>();
                for (int i = 0; i < layers.length; i++) {
                    int l = layers[i];
                    double[][] x = new double[t][];
                    float[] flat = new float[t * h];
                    for (int s = 0; s < t; s++) {
                        float[] v = states.get(l).get(s);
                        System.arraycopy(v, 0, flat, s * h, h);
                        x[s] = toDouble(v);
                    }
                    Estimate[] est = mi.estimate(Matrix.of("hidden." + l, x), Matrix.of("gt." + l,
                            new double[][]{toDouble(gt[i])}));
                    double[] vals = new double[t];
                    for (int s = 0; s < t; s++) {
                        vals[s] = est[s].value();
                    }
                    mis.put(l, vals);
                    hs.put(l, flat);
                    gs.put(l, gt[i]);
                }
                List<String> tokens = new ArrayList<>();
                long[] ids = new long[t];
                for (int s = 0; s < t; s++) {
                    tokens.add(tok.decode(g.tokens()[s]));
                    ids[s] = g.tokens()[s];
                }
                int index = r.index();
                ProblemRecord rec = new ProblemRecord(index, r.id(), r.problem(), r.answer(),
                        tok.decode(g.tokens(), true), g.stopReason().label(), prompt, g.tokens(), tokens, layerList,
                        "nhsic", mis);
                String file = RunWriter.writeProblem(dir, rec);
                RunWriter.writeTensors(dir, index, ids, h, hs, gs, mis);
                RunWriter.appendManifest(dir, new ManifestEntry(index, r.id(), RunLayout.STATUS_OK, null, file));
            }
        }
        return dir;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
