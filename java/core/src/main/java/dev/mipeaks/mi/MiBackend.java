package dev.mipeaks.mi;

import dev.mipeaks.io.Matrix;

/**
 * Computes one estimator over many pairs: on the CPU ({@link CpuMiBackend}) or on a GPU
 * ({@code dev.mipeaks.gpu.CudaMiBackend}). Inputs are validated (finite, equal lengths, m >= 2) with errors naming
 * the source and row.
 */
public interface MiBackend extends AutoCloseable {

    /** For logs and outputs: "cpu (2 threads)", "cuda:0 NVIDIA H200", ... */
    String describe();

    /** The estimator computed. */
    Estimator estimator();

    /**
     * Row i of x against row i of y ([N, m] each), or every row of x against the single row of y ([1, m]).
     * {@code progress} receives the number of pairs finished so far (may be null).
     */
    Estimate[] estimate(Matrix x, Matrix y, Progress progress);

    default Estimate[] estimate(Matrix x, Matrix y) {
        return estimate(x, y, null);
    }

    /**
     * Trajectories: group g is every row of {@code xs.get(g)} against the single row of {@code ys.get(g)} ([1, m]), e.g.
     * every captured layer of a chunk of steps against its ground-truth state. The same values as one
     * {@link #estimate} call per group, in group order (here: exactly that); a backend may compute all groups together
     * (the GPU backend: in one launch).
     */
    default Estimate[][] estimateTrajectories(java.util.List<Matrix> xs, java.util.List<Matrix> ys) {
        if (xs.size() != ys.size()) {
            throw new IllegalArgumentException(xs.size() + " x matrices for " + ys.size() + " y rows");
        }
        Estimate[][] out = new Estimate[xs.size()][];
        for (int g = 0; g < out.length; g++) {
            out[g] = estimate(xs.get(g), ys.get(g));
        }
        return out;
    }

    @Override
    default void close() {
    }

    /** Progress callback: pairs done so far out of total. */
    @FunctionalInterface
    interface Progress {
        void update(long done, long total);
    }
}
