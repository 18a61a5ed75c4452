package dev.mipeaks.model;

import dev.mipeaks.io.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/** The shared tiny checkpoints and their goldens (../shared/models); tests skip with a message when absent. */
final class SharedModels {
    static final String[] NAMES = {"stories260k", "tiny-qwen2", "tiny-llama31"};

    private SharedModels() {
    }

    static Path shared() {
        String p = System.getProperty("mipeaks.shared", "../shared");
        return Paths.get(p).toAbsolutePath().normalize();
    }

    static Path model(String name) {
        Path d = shared().resolve("models").resolve(name);
        boolean ok = Files.isRegularFile(d.resolve("golden.safetensors"));
        if (!ok) {
            System.out.println("SKIP: " + d + " not found (shared test data absent)");
        }
        Assumptions.assumeTrue(ok, "shared model " + d + " absent");
        return d;
    }

    static Path tokenizer(String name) {
        Path d = shared().resolve("tokenizers").resolve(name);
        boolean ok = Files.isRegularFile(d.resolve("tokenizer.json"));
        if (!ok) {
            System.out.println("SKIP: " + d + " not found (shared test data absent)");
        }
        Assumptions.assumeTrue(ok, "shared tokenizer " + d + " absent");
        return d;
    }

    /** The golden tensors of one model. */
    record Golden(int[] promptIds, int[] greedyIds, float[] layerOutputs, int layers, int positions, int hidden,
                  float[] logits, int vocab) {
        int[] fullSequence() {
            int[] all = new int[promptIds.length + greedyIds.length];
            System.arraycopy(promptIds, 0, all, 0, promptIds.length);
            System.arraycopy(greedyIds, 0, all, promptIds.length, greedyIds.length);
            return all;
        }

        float layerOutput(int l, int pos, int i) {
            return layerOutputs[(l * positions + pos) * hidden + i];
        }

        float logit(int pos, int v) {
            return logits[pos * vocab + v];
        }
    }

    static Golden golden(Path dir) {
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("golden.safetensors"))) {
            long[] shape = f.info("layer_outputs").shape();
            return new Golden(toInt(f.longs("prompt_ids")), toInt(f.longs("greedy_ids")), f.floats("layer_outputs"),
                    (int) shape[0], (int) shape[1], (int) shape[2], f.floats("logits"),
                    (int) f.info("logits").shape()[1]);
        }
    }

    static int[] toInt(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }

    /** max |a-b| / (max |b| over the compared set) — a relative error robust to individual near-zero entries. */
    static double relErr(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num = Math.max(num, Math.abs(a[i] - b[i]));
            den = Math.max(den, Math.abs(b[i]));
        }
        return den == 0 ? num : num / den;
    }
}
