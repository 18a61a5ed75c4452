package dev.mipeaks.gpu;

/**
 * What one lane (stream) of a batch needs: bytes of the x (and, row-paired, y) input chunk, rows of per-row kernel
 * widths, bytes of the outputs and of the kernels' scratch. The backend keeps its lanes across calls and only
 * reallocates when a call needs more (grow-only: alternating shapes do not thrash the allocator).
 */
record LaneSizes(long inputBytes, boolean paired, long sigmaRows, long outBytes, long scratchBytes) {

    static LaneSizes of(LaunchPlan plan) {
        return new LaneSizes(plan.inputBytes(), !plan.traj(), plan.chunk(), plan.outBytes(), plan.scratchBytes());
    }

    /** Whether buffers of these sizes can serve {@code need}. */
    boolean covers(LaneSizes need) {
        return inputBytes >= need.inputBytes && (paired || !need.paired) && sigmaRows >= need.sigmaRows
                && outBytes >= need.outBytes && scratchBytes >= need.scratchBytes;
    }

    /** The smallest sizes that cover both. */
    LaneSizes union(LaneSizes o) {
        return new LaneSizes(Math.max(inputBytes, o.inputBytes), paired || o.paired, Math.max(sigmaRows, o.sigmaRows),
                Math.max(outBytes, o.outBytes), Math.max(scratchBytes, o.scratchBytes));
    }
}
