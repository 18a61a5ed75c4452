package dev.mipeaks.mi;

/**
 * Gaussian kernel width: a fixed value, or the reference code's median heuristic computed per vector
 * (see {@link PairwiseMedian#referenceSigma}).
 */
public record Sigma(double value, boolean median) {
    public static final Sigma MEDIAN = new Sigma(Double.NaN, true);

    public static Sigma fixed(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("sigma must be finite and > 0, got " + value);
        }
        return new Sigma(value, false);
    }

    /** The width for vector {@code v}. */
    public double resolve(double[] v) {
        return median ? PairwiseMedian.referenceSigma(v) : value;
    }

    /**
     * Launch parameters of a Gaussian kernel of this width: fixed, or the median heuristic computed per row on the host.
     */
    public KernelConfig kernelConfig(double eps, double tolFactor) {
        return new KernelConfig(median ? Double.NaN : value, eps, tolFactor, median ? PairwiseMedian::referenceSigma : null);
    }

    @Override
    public String toString() {
        return median ? "median" : Double.toString(value);
    }

    /** As printed in JSON outputs: a number, or the string "median". */
    public Object json() {
        return median ? "median" : value;
    }
}
