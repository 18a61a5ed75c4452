package dev.mipeaks.model;

/**
 * Rotary position embedding frequencies, computed in float64 (Hugging Face computes them in float32; the float64
 * angles are the exact ones its float32 values approximate).
 *
 * <p>Layout is Hugging Face's "rotate half": dimension i in [0, d/2) pairs with i + d/2, both rotated by
 * angle pos * invFreq[i].
 */
public final class Rope {
    private final double[] invFreq;

    public Rope(ModelConfig c) {
        this.invFreq = inverseFrequencies(c.headDim(), c.ropeTheta(), c.ropeScaling());
    }

    public int half() {
        return invFreq.length;
    }

    public double invFreq(int i) {
        return invFreq[i];
    }

    /** invFreq[i] = theta^(-2i/d), then Llama 3 scaling when configured (as transformers' _compute_llama3_parameters). */
    static double[] inverseFrequencies(int headDim, double theta, ModelConfig.RopeScaling s) {
        int half = headDim / 2;
        double[] f = new double[half];
        for (int i = 0; i < half; i++) {
            f[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        if (s == null) {
            return f;
        }
        double lowWavelen = s.originalMaxPositions() / s.lowFreqFactor();
        double highWavelen = s.originalMaxPositions() / s.highFreqFactor();
        for (int i = 0; i < half; i++) {
            double wavelen = 2 * Math.PI / f[i];
            if (wavelen < highWavelen) {
                continue; // high frequency: unchanged
            }
            if (wavelen > lowWavelen) {
                f[i] = f[i] / s.factor(); // low frequency: scaled down
                continue;
            }
            // medium band: interpolate between scaled and unscaled
            double smooth = (s.originalMaxPositions() / wavelen - s.lowFreqFactor())
                    / (s.highFreqFactor() - s.lowFreqFactor());
            f[i] = (1 - smooth) * f[i] / s.factor() + smooth * f[i];
        }
        return f;
    }

    /**
     * cos and sin tables for positions [0, n) in the full head layout [n][headDim] (the half repeated twice),
     * flattened row-major, as float, from the exact angles pos * invFreq.
     */
    public float[][] tables(int n) {
        return tables(n, false);
    }

    /**
     * The tables as Hugging Face computes them for a bf16/f16 model (LlamaRotaryEmbedding): the angle is the float32
     * product of float32 inverse frequencies and float32 positions, its cos/sin are taken in float32 and only then
     * rounded to the model's dtype. Compared with {@link #tables(int)} (exact angles) the angle carries float32's
     * rounding, up to ~3e-5 rad at position 500: far below a bf16 step, but it decides the bf16 rounding of the odd
     * entry, and matching it keeps greedy runs on Hugging Face's bf16 path.
     */
    public float[][] tablesFloat32Angles(int n) {
        return tables(n, true);
    }

    private float[][] tables(int n, boolean float32Angles) {
        int half = invFreq.length;
        int d = 2 * half;
        float[] cos = new float[n * d];
        float[] sin = new float[n * d];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < half; i++) {
                double a = float32Angles ? (float) p * (float) invFreq[i] : p * invFreq[i];
                float c = (float) Math.cos(a);
                float s = (float) Math.sin(a);
                cos[p * d + i] = c;
                cos[p * d + i + half] = c;
                sin[p * d + i] = s;
                sin[p * d + i + half] = s;
            }
        }
        return new float[][] {cos, sin};
    }
}
