package dev.mipeaks.model;

import dev.mipeaks.SharedData;
import dev.mipeaks.io.SafetensorsFile;
import java.nio.file.Path;

/** The shared tiny checkpoints and their goldens (../shared/models); tests skip with a message when absent. */
final class SharedModels {
    private SharedModels() {
    }

    /** The folder of a shared model that has goldens (golden.safetensors); skips the test if absent. */
    static Path model(String name) {
        return SharedData.require("models/" + name + "/golden.safetensors").getParent();
    }

    static Path tokenizer(String name) {
        return SharedData.require("tokenizers/" + name + "/tokenizer.json").getParent();
    }

    /** The golden tensors of one model, read from the model folder {@code dir}. */
    record Golden(Path dir, int[] promptIds, int[] greedyIds, float[] layerOutputs, int layers, int positions,
                  int hidden, float[] logits, int vocab) {
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

        /** Layer {@code l}'s output at position {@code pos}. */
        double[] hiddenAt(int l, int pos) {
            double[] out = new double[hidden];
            for (int i = 0; i < hidden; i++) {
                out[i] = layerOutput(l, pos, i);
            }
            return out;
        }

        /** The logits at position {@code pos}. */
        double[] logitsAt(int pos) {
            double[] out = new double[vocab];
            for (int v = 0; v < vocab; v++) {
                out[v] = logit(pos, v);
            }
            return out;
        }
    }

    /** The goldens of the shared model {@code name}; skips the test if absent. */
    static Golden golden(String name) {
        return golden(model(name));
    }

    static Golden golden(Path dir) {
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("golden.safetensors"))) {
            long[] shape = f.info("layer_outputs").shape();
            return new Golden(dir, toInt(f.longs("prompt_ids")), toInt(f.longs("greedy_ids")), f.floats("layer_outputs"),
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
}
