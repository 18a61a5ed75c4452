package dev.mipeaks.gpu;

import dev.mipeaks.mi.KernelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToIntFunction;

/**
 * Sizes, grid and kernel arguments of one {@link CudaMiBackend} call, computed without any CUDA call so that
 * {@code LaunchPlanTest} can check them on a machine without a GPU: every buffer the kernel touches for a launch
 * (see {@code kernels/README.md}, launch contract) must be set and large enough.
 *
 * @param chunk      rows per launch (and per lane's host/device input buffers)
 * @param grid       persistent blocks per batch launch (scratch slots per lane)
 * @param smemCols   factor columns in shared memory for the batch launches
 * @param smemBytes  dynamic shared memory of the batch launches
 * @param ySmemCols  factor columns in shared memory for the y-factor launch (trajectory mode)
 * @param ySmemBytes dynamic shared memory of the y-factor launch
 * @param groups     trajectories in the call (grouped trajectories: each its own y row and y factor slot; 1 otherwise)
 */
record LaunchPlan(int n, int m, int esize, boolean traj, boolean lowRank, int threads, int rmax, int chunk, int grid,
                  int smemCols, long smemBytes, int ySmemCols, long ySmemBytes, int groups) {
    static final long CHUNK_INPUT_BYTES = 32L << 20;

    /**
     * @param smemOptin   the device's opt-in shared memory per block
     * @param blocksPerSm resident blocks per SM for a dynamic shared memory size (the occupancy API)
     * @param freeBytes   free device memory (two lanes of scratch must fit in half of it)
     * @param smemColsCap benchmark knob: at most this many factor columns in shared memory
     */
    static LaunchPlan of(int n, int m, int esize, boolean traj, boolean lowRank, int threads, long smemOptin,
                         LongToIntFunction blocksPerSm, int sms, long freeBytes, long smemColsCap) {
        int rmax = Math.min(CudaMiBackend.RMAX, m);
        int smemCols = 0;
        long smemBytes = 0;
        int yCols = 0;
        long ySmem = 0;
        if (lowRank) {
            long fixed = KernelArgs.smemFixedBytes(m, rmax);
            long room = Math.max(0, (smemOptin - fixed - 1024) / (8L * m));
            smemCols = (int) Math.min(Math.min(room, traj ? rmax : 2L * rmax), Math.max(0, smemColsCap));
            smemBytes = fixed + 8L * smemCols * m;
            // the y-factor launch (one block) keeps every y column it can in shared memory
            yCols = traj ? (int) Math.min(room, rmax) : 0;
            ySmem = traj ? fixed + 8L * yCols * m : 0;
        }
        int grid = Math.max(1, blocksPerSm.applyAsInt(smemBytes)) * Math.max(1, sms);
        grid = Math.max(1, Math.min(grid, n));
        if (lowRank) {
            long perBlock = 8L * KernelArgs.scratchDoubles(m, rmax);
            long budget = freeBytes / 2 - (256L << 20);  // two lanes of scratch, room for the chunks
            while (grid > 1 && 2L * grid * perBlock > budget) {
                grid = Math.max(1, grid / 2);
            }
        }
        long rowBytes = (long) m * esize;
        int chunk = (int) Math.max(1, Math.min(n, Math.max(grid, CHUNK_INPUT_BYTES / rowBytes)));
        return new LaunchPlan(n, m, esize, traj, lowRank, threads, rmax, chunk, grid, smemCols, smemBytes, yCols, ySmem, 1);
    }

    /**
     * This trajectory plan for {@code groups} trajectories of n pairs in all (several y rows, one y factor slot each,
     * pair i against slot y_group[i]): the same launches, with the y rows and factors of every group.
     */
    LaunchPlan grouped(int groups) {
        if (groups == 1) {
            return this;
        }
        if (!traj || groups < 1 || groups > n) {
            throw new IllegalArgumentException("grouped plan of " + groups + " trajectories for " + n + " pairs (traj " + traj + ")");
        }
        return new LaunchPlan(n, m, esize, traj, lowRank, threads, rmax, chunk, grid, smemCols, smemBytes, ySmemCols,
                ySmemBytes, groups);
    }

    /** Whether pairs name their y row / factor slot through y_group (several trajectories in one call). */
    boolean isGrouped() {
        return groups > 1;
    }

    /** Blocks of the y-factor launch: one per y row, at most the scratch slots of a lane. */
    int yGrid() {
        return Math.max(1, Math.min(groups, grid));
    }

    /**
     * Whether trajectory mode factors y in a launch of its own first (the low-rank kernels); other kernels (cka-linear)
     * ignore the flags and only need the y row on the device: launching them in write mode would run a batch with x null.
     */
    boolean yFactorLaunch() {
        return traj && lowRank;
    }

    /** Bytes of one lane's input buffer (x, and y when paired). */
    long inputBytes() {
        return (long) chunk * m * esize;
    }

    /** Bytes of one lane's output buffer: value f64, rank_x, rank_y, status i32 per row. */
    long outBytes() {
        return 20L * chunk;
    }

    long scratchBytes() {
        return lowRank ? 8L * grid * KernelArgs.scratchDoubles(m, rmax) : 8;
    }

    long yFactorBytes() {
        return 8L * rmax * m * groups;
    }

    long ySmallBytes() {
        return 8L * rmax * rmax * groups;
    }

    /** Bytes of the y rows on the device (one per group). */
    long yRowBytes() {
        return (long) m * esize * groups;
    }

    /** Fields every launch has. */
    KernelArgs base(KernelConfig cfg) {
        KernelArgs a = new KernelArgs();
        a.m = m;
        a.ldx = m;
        a.ldy = traj && !isGrouped() ? 0 : m;
        a.sigma = Double.isNaN(cfg.sigma()) ? 1.0 : cfg.sigma();
        a.eps = cfg.eps();
        a.tolTrace = cfg.tolTrace(m);
        a.rmax = rmax;
        a.smemCols = smemCols;
        return a;
    }

    /**
     * Device buffers of the trajectory y factor (addresses): y rows, their widths, factor slots, ranks, and (grouped)
     * the y_group index of every pair of the call.
     */
    record YFactor(long row, long sigma, long b, long g, long l, long rank, long group) {
        YFactor(long row, long sigma, long b, long g, long l, long rank) {
            this(row, sigma, b, g, l, rank, 0);
        }

        /** The y_group entries from pair {@code start} on (a chunk's launch). */
        YFactor fromPair(int start) {
            return group == 0 ? this : new YFactor(row, sigma, b, g, l, rank, group + 4L * start);
        }
    }

    /**
     * Arguments of the launch that factors y row 0 (grid 1), or grouped the y rows of every group into their slots
     * (grid {@link #yGrid}); {@link #ySmemBytes} shared memory.
     */
    KernelArgs writeY(KernelConfig cfg, YFactor y, long scratch) {
        KernelArgs a = base(cfg);
        a.y = y.row();
        a.n = groups;
        a.ldy = isGrouped() ? m : 0;
        a.flags = KernelArgs.FLAG_WRITE_Y_FACTOR;
        a.scratch = scratch;
        a.sigmaY = y.sigma();
        a.smemCols = ySmemCols;
        a.yB = y.b();
        a.yG = y.g();
        a.yL = y.l();
        a.yRank = y.rank();
        return a;
    }

    /**
     * Arguments of a batch launch of {@code rows} pairs: x (and y when paired) rows in {@code dx}/{@code dy}, per-row
     * widths in {@code dsx}/{@code dsy} (0: fixed sigma), outputs packed in {@code dout} (see {@link #outBytes}).
     */
    KernelArgs batch(KernelConfig cfg, int rows, long dx, long dy, long dsx, long dsy, long dout, long scratch, YFactor y) {
        KernelArgs a = base(cfg);
        a.x = dx;
        a.y = traj ? y.row() : dy;
        a.n = rows;
        a.sigmaX = dsx;
        a.sigmaY = traj ? y.sigma() : dsy;
        a.scratch = scratch;
        a.value = dout;
        a.rankX = dout + 8L * rows;
        a.rankY = a.rankX + 4L * rows;
        a.status = a.rankY + 4L * rows;
        if (isGrouped()) {
            a.yGroup = y.group();
        }
        if (yFactorLaunch()) {
            a.flags = KernelArgs.FLAG_Y_FACTORED;
            a.yB = y.b();
            a.yG = y.g();
            a.yL = y.l();
            a.yRank = y.rank();
        }
        return a;
    }

    /** Grid of a batch launch of {@code rows} pairs. */
    int gridFor(int rows) {
        return Math.min(grid, rows);
    }

    /**
     * The pointer fields a launch with these flags dereferences but that are null; empty when the launch is well
     * formed. Checked before every launch: a null here is an illegal address on the device.
     */
    static List<String> missing(KernelArgs a, boolean lowRank) {
        List<String> miss = new ArrayList<>();
        // kernels other than the low-rank ones ignore the flags: every launch of theirs reads x and writes the outputs
        boolean writeY = lowRank && (a.flags & KernelArgs.FLAG_WRITE_Y_FACTOR) != 0;
        boolean yFactored = lowRank && (a.flags & KernelArgs.FLAG_Y_FACTORED) != 0;
        need(miss, "y", a.y);
        if (writeY) {
            need(miss, "scratch", a.scratch);
            needYFactor(miss, a);
            return miss;
        }
        need(miss, "x", a.x);
        need(miss, "value", a.value);
        need(miss, "rank_x", a.rankX);
        need(miss, "rank_y", a.rankY);
        need(miss, "status", a.status);
        if (lowRank) {
            need(miss, "scratch", a.scratch);
        }
        if (yFactored) {
            if (a.ldy != 0) {  // several y factor slots: every pair names its own
                need(miss, "y_group", a.yGroup);
            }
            needYFactor(miss, a);
        }
        return miss;
    }

    /** The y factor's buffers: written by a factor-writing launch, read by a y-factored one. */
    private static void needYFactor(List<String> miss, KernelArgs a) {
        need(miss, "yB", a.yB);
        need(miss, "yG", a.yG);
        need(miss, "yL", a.yL);
        need(miss, "y_rank", a.yRank);
    }

    private static void need(List<String> miss, String name, long v) {
        if (v == 0) {
            miss.add(name);
        }
    }
}
