package dev.mipeaks.scaling;

import dev.mipeaks.MipeaksException;
import java.util.Locale;

/**
 * The layer that representation recycling applies twice, chosen relative to the model's depth: an index, {@code mid},
 * or a fraction of the depth. The paper recycles layer 23 of DeepSeek-R1-Distill-Llama-8B's 32 layers, which is
 * {@value #PAPER_FRACTION} of the depth; the same fraction picks a comparable layer in a model of another depth.
 */
public final class RecycleLayer {
    /** The paper's layer 23 of 32 as a fraction of depth (23/32 = 0.71875, rounded). */
    public static final String PAPER_FRACTION = "0.72";

    private RecycleLayer() {
    }

    /**
     * The 0-based layer index that {@code spec} names in a model of {@code numLayers} layers: an integer is the
     * index itself; {@code mid} is {@code numLayers / 2}; a number with a decimal point in [0, 1] is
     * {@code round(fraction * numLayers)}, at most the last layer.
     */
    public static int resolve(String spec, int numLayers) {
        String s = spec == null ? PAPER_FRACTION : spec.trim().toLowerCase(Locale.ROOT);
        int layer;
        if (s.equals("mid")) {
            layer = numLayers / 2;
        } else if (s.matches("[+-]?\\d+")) {
            try {
                layer = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw MipeaksException.invalid("--layer " + spec + ": too large");
            }
        } else {
            double f;
            try {
                f = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw invalid(spec);
            }
            if (!(f >= 0 && f <= 1)) {
                throw MipeaksException.invalid("--layer " + spec + ": a fraction of depth must be in [0, 1]");
            }
            layer = Math.min(numLayers - 1, (int) Math.round(f * numLayers));
        }
        if (layer < 0 || layer >= numLayers) {
            throw MipeaksException.invalid("--layer " + spec + ": outside [0, " + numLayers + ") of the model");
        }
        return layer;
    }

    /** Checks the form of {@code spec} before a model is loaded (the index's range needs the model). */
    public static void checkForm(String spec) {
        resolve(spec, Integer.MAX_VALUE);
    }

    private static MipeaksException invalid(String spec) {
        return MipeaksException.invalid("--layer " + spec + ": expected a layer index, mid, or a fraction of depth "
                + "such as " + PAPER_FRACTION);
    }
}
