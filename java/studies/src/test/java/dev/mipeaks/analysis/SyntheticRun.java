package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test fixture: writes synthetic runs in exactly the pipeline's format (through {@link RunWriter}). Tokens come from
 * a small vocabulary; steps that generate a "thinking" word get a high MI so that peaks and thinking tokens are
 * predictable; hidden states are random (the sigma sweep recomputes MI from them, independent of the JSON MI).
 */
public final class SyntheticRun {
    /** id -> single-id decoding. Ids 0-5 are the "thinking" words. */
    static final String[] VOCAB = {"So", " So", "Wait", " Wait", "Hmm", "\n\n",
            " the", " x", " =", " 2", " is", " we", " a", "+", " of", "."};
    static final int HIDDEN = 8;

    public static final Vocabulary VOCABULARY = new ArrayVocabulary(VOCAB);

    public String model = "synthetic/model";
    public String estimator = "nhsic";
    public List<Integer> layers = List.of(2, 5);
    public int problems = 6;
    public int minSteps = 30;
    public int maxSteps = 60;
    public double miScale = 1.0;
    public long seed = 1;
    /** indices written to the manifest as skipped instead of ok */
    public List<Integer> skipped = List.of();
    public String idPrefix = "test/p";
    /** problems stop on EOS: the last step is id 15 (".") with the highest MI, stop_reason "eos" */
    public boolean endWithEos;

    public Path write(Path dir) throws IOException {
        Random rnd = new Random(seed);
        ObjectNode extra = JsonFields.MAPPER.createObjectNode();
        extra.put("seed", seed);
        RunWriter.writeConfig(dir, new RunConfig(model, "data/synthetic.jsonl", layers, estimator,
                Map.of("sigma", 50.0, "eps", 1e-5), maxSteps, "{problem}", "2025-01-01T00:00:00Z", extra));
        for (int p = 0; p < problems; p++) {
            String id = idPrefix + p;
            if (skipped.contains(p)) {
                RunWriter.appendManifest(dir, new ManifestEntry(p, id, RunLayout.STATUS_SKIPPED, "prompt too long", null));
                continue;
            }
            int t = minSteps + rnd.nextInt(maxSteps - minSteps + 1);
            int[] ids = new int[t];
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < t; i++) {
                ids[i] = rnd.nextInt(10) == 0 ? rnd.nextInt(6) : 6 + rnd.nextInt(VOCAB.length - 6);
                tokens.add(VOCAB[ids[i]]);
            }
            if (endWithEos) {
                ids[t - 1] = 15;
                tokens.set(t - 1, VOCAB[15]);
            }
            Map<Integer, double[]> mi = new LinkedHashMap<>();
            Map<Integer, float[]> hidden = new LinkedHashMap<>();
            Map<Integer, float[]> gt = new LinkedHashMap<>();
            for (int l : layers) {
                double[] m = new double[t];
                float[] h = new float[t * HIDDEN];
                for (int i = 0; i < t; i++) {
                    double base = 0.2 + 0.05 * rnd.nextDouble() + 0.001 * l;
                    m[i] = miScale * (ids[i] < 6 ? base + 0.5 + 0.1 * rnd.nextDouble() : base);
                    if (endWithEos && i == t - 1) {
                        m[i] = miScale * 2;
                    }
                    for (int j = 0; j < HIDDEN; j++) {
                        h[i * HIDDEN + j] = (float) (60 * rnd.nextGaussian());
                    }
                }
                float[] g = new float[HIDDEN];
                for (int j = 0; j < HIDDEN; j++) {
                    g[j] = (float) (60 * rnd.nextGaussian());
                }
                mi.put(l, m);
                hidden.put(l, h);
                gt.put(l, g);
            }
            long[] lids = new long[t];
            for (int i = 0; i < t; i++) {
                lids[i] = ids[i];
            }
            ProblemRecord rec = new ProblemRecord(p, id, "Problem " + p, Integer.toString(p), String.join("", tokens),
                    endWithEos ? "eos" : "max_new_tokens", new int[]{1, 2, 3}, ids, tokens, layers, estimator, mi);
            String file = RunWriter.writeProblem(dir, rec);
            RunWriter.writeTensors(dir, p, lids, HIDDEN, hidden, gt, mi);
            RunWriter.appendManifest(dir, new ManifestEntry(p, id, RunLayout.STATUS_OK, null, file));
        }
        return dir;
    }
}
