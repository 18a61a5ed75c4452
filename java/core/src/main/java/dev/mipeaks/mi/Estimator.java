package dev.mipeaks.mi;

import java.util.Map;

/**
 * A dependence estimator between two vectors x, y in R^m, each read as m one-dimensional samples (the paper's
 * view of a hidden state). Implementations are immutable and thread-safe.
 *
 * <p>Work that depends on one side only (a kernel factor, a median) is done once in {@link #prepare}, so a
 * trajectory of many steps against one ground-truth vector prepares the ground truth once.
 */
public interface Estimator {

    /** Registry name, e.g. {@code nhsic}. */
    String name();

    /** Resolved parameter values, printed in every output row (e.g. sigma=50, eps=1e-5). */
    Map<String, Object> parameters();

    /** Per-vector work; {@code v} is finite and of length >= 2 (the engine validates). */
    Prepared prepare(double[] v);

    /** The estimate for a pair of prepared vectors of equal length. */
    Estimate estimate(Prepared x, Prepared y);

    default Estimate estimate(double[] x, double[] y) {
        return estimate(prepare(x), prepare(y));
    }

    /** Per-vector state an estimator derives from one side of a pair. */
    interface Prepared {
        /** m, the vector length. */
        int length();

        /** Numerical rank of the vector's kernel factor, or -1 where it does not apply. */
        default int rank() {
            return -1;
        }
    }
}
