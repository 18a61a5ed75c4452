package dev.mipeaks.gpu;

import static jcuda.driver.JCudaDriver.cuFuncSetAttribute;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuOccupancyMaxActiveBlocksPerMultiprocessor;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.Matrix;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.Inputs;
import dev.mipeaks.mi.KernelConfig;
import dev.mipeaks.mi.MiBackend;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUstream;

/**
 * The GPU engine: rows are copied in chunks through pinned host buffers on two streams (the host fills one chunk
 * while the device computes the other), one persistent thread block per pair slot. In trajectory mode (one y row)
 * y is factored once on the device. Pairs whose factor needs more than {@link #RMAX} columns are recomputed by the
 * CPU estimator, so high-rank inputs are slower, never wrong. The streams and buffers are kept from call to call
 * (grown when a call needs more) and freed by {@link #close}; calls are serialised.
 */
public final class CudaMiBackend implements MiBackend {
    static final int RMAX = 64;
    /**
     * Entries per thread of the low-rank kernels: the plain entry points take m <= EMAX * threads (MP_EMAX), the
     * {@code _x16} ones m <= EMAX_WIDE * threads (MP_EMAX_WIDE); MAX_THREADS is MP_MAX_THREADS. Fewer entries per
     * thread keep the factor in registers (no spills at m = 4096), so the wide entries are taken only when needed.
     */
    static final int EMAX = 8;
    static final int EMAX_WIDE = 16;
    static final int MAX_THREADS = 512;

    private final CudaDevice dev;
    private final KernelLibrary lib;
    private final KernelBinding binding;
    private final KernelConfig cfg;
    private final Estimator cpu;
    private final PrintWriter log;
    private int threadsOverride;
    private long lastOverflow;
    /** Per-stream buffers kept across calls (see {@link LaneBuffers}). */
    private final LaneBuffers[] laneBuffers = new LaneBuffers[2];
    /** Trajectory mode's y row, its width, and its factor (yB, yG, yL, rank), also kept across calls. */
    private final GrowBuffer yRow = new GrowBuffer();
    private final GrowBuffer ySigma = new GrowBuffer();
    private final GrowBuffer yB = new GrowBuffer();
    private final GrowBuffer yG = new GrowBuffer();
    private final GrowBuffer yL = new GrowBuffer();
    private final GrowBuffer yRank = new GrowBuffer();
    /** Grouped trajectories: the y_group index of every pair. */
    private final GrowBuffer yGroups = new GrowBuffer();

    /**
     * @param cpu the estimator that recomputes rank-overflow pairs and inputs the kernels cannot take
     *            (float64 data that float32 does not hold exactly, m > 8192)
     */
    public CudaMiBackend(CudaDevice dev, KernelLibrary lib, KernelBinding binding, KernelConfig cfg, Estimator cpu, PrintWriter log) {
        this.dev = dev;
        this.lib = lib;
        this.binding = binding;
        this.cfg = cfg;
        this.cpu = cpu;
        this.log = log;
        // fail now, not at the first batch, when the entry points are missing
        lib.moduleFor(binding.entryBase() + "_f32");
        lib.moduleFor(binding.entryBase() + "_bf16");
    }

    /** Threads per block for the next calls (0 = automatic); for benchmarks and the block-size checks. */
    public void setThreads(int threads) {
        this.threadsOverride = threads;
    }

    /** Pairs recomputed on the CPU in the last call (rank overflow). */
    public long lastOverflow() {
        return lastOverflow;
    }

    @Override
    public String describe() {
        return "cuda:" + dev.index() + " " + dev.name();
    }

    @Override
    public Estimator estimator() {
        return cpu;
    }

    /**
     * The entry point for one launch: {@code base_f32} / {@code base_bf16}, with {@code _x16} appended for a low-rank
     * kernel when m > EMAX * threads (the kernels' MP_LOWRANK_ENTRIES declare both).
     */
    static String entryFor(String base, DType kt, boolean lowRank, int m, int threads) {
        String name = base + (kt == DType.BF16 ? "_bf16" : "_f32");
        return lowRank && (long) EMAX * threads < m ? name + "_x16" : name;
    }

    static int threadsFor(int m) {
        int t = ((m + 7) / 8 + 31) / 32 * 32;
        t = Math.max(32, Math.min(MAX_THREADS, t));
        while ((long) EMAX_WIDE * t < m && t < MAX_THREADS) {
            t += 32;
        }
        return t;
    }

    @Override
    public synchronized Estimate[] estimate(Matrix x, Matrix y, Progress progress) {
        Inputs.checkPairable(x, y);
        int n = x.rows();
        int m = x.cols();
        lastOverflow = 0;
        if (n == 0) {
            return new Estimate[0];
        }
        if (binding.lowRank() && m > EMAX_WIDE * MAX_THREADS) {
            note("m = " + m + " exceeds the GPU kernels' limit of " + (EMAX_WIDE * MAX_THREADS) + ": computing on the CPU");
            return cpuAll(x, y, progress);
        }
        DType kt = kernelType(x, y);
        if (kt == null) {
            note(x.where() + ": float64 values that float32 does not hold exactly: computing on the CPU");
            return cpuAll(x, y, progress);
        }
        int threads = threadsOverride > 0 ? threadsOverride : threadsFor(m);
        String entry = entryFor(binding.entryBase(), kt, binding.lowRank(), m, threads);
        if (binding.lowRank() && (long) EMAX_WIDE * threads >= m && !lib.entries().contains(entry)) {
            note("m = " + m + " needs the kernel entry point " + entry + ", which the loaded kernels lack: computing on the CPU");
            return cpuAll(x, y, progress);
        }
        try {
            dev.makeCurrent();
            try (Run run = new Run(new Matrix[] {x}, new Matrix[] {y}, kt)) {
                return run.go(progress)[0];
            }
        } catch (CudaException e) {
            throw new MipeaksException(ExitCode.ERROR, "CUDA error on " + describe() + ": " + CudaDevice.reason(e), e);
        }
    }

    /**
     * Several trajectories in one go, as the pipeline hands them over (every captured layer of a chunk of steps): one
     * y-factor launch for all ground truths, then the pairs of every group in the same batch launches, each pair naming
     * its group's y factor (kernel ABI y_group). The values are bit for bit those of one {@link #estimate} call per
     * group. Calls the kernels cannot take together (mixed lengths or types, a group of one row, inputs for the CPU)
     * go group by group.
     */
    @Override
    public synchronized Estimate[][] estimateTrajectories(List<Matrix> xs, List<Matrix> ys) {
        if (xs.size() != ys.size()) {
            throw new IllegalArgumentException(xs.size() + " x matrices for " + ys.size() + " y rows");
        }
        DType kt = groupable(xs, ys);
        if (kt == null) {
            return MiBackend.super.estimateTrajectories(xs, ys);
        }
        lastOverflow = 0;
        try {
            dev.makeCurrent();
            try (Run run = new Run(xs.toArray(Matrix[]::new), ys.toArray(Matrix[]::new), kt)) {
                if (run.plan.groups() > run.plan.chunk()) {
                    return MiBackend.super.estimateTrajectories(xs, ys);  // more y rows than a lane's staging rows
                }
                return run.go(null);
            }
        } catch (CudaException e) {
            throw new MipeaksException(ExitCode.ERROR, "CUDA error on " + describe() + ": " + CudaDevice.reason(e), e);
        }
    }

    /** The kernels' element type when these trajectories can run together in one call, else null. */
    private DType groupable(List<Matrix> xs, List<Matrix> ys) {
        if (xs.size() < 2) {
            return null;
        }
        int m = xs.get(0).cols();
        DType dt = xs.get(0).dtype();
        if (dt != DType.BF16 && dt != DType.F32) {
            return null;
        }
        for (int g = 0; g < xs.size(); g++) {
            Matrix x = xs.get(g);
            Matrix y = ys.get(g);
            Inputs.checkPairable(x, y);
            if (y.rows() != 1 || x.rows() < 2 || x.cols() != m || x.dtype() != dt || y.dtype() != dt) {
                return null;
            }
        }
        if (binding.lowRank() && m > EMAX_WIDE * MAX_THREADS) {
            return null;
        }
        int threads = threadsOverride > 0 ? threadsOverride : threadsFor(m);
        String entry = entryFor(binding.entryBase(), dt, binding.lowRank(), m, threads);
        if (binding.lowRank() && (long) EMAX_WIDE * threads >= m && !lib.entries().contains(entry)) {
            return null;
        }
        if (KernelLibrary.abiVersion(lib.moduleFor(entry).ptx()) < 2) {
            return null;  // a module without y_group (a user's, built against ABI 1): one call per group
        }
        return dt;
    }

    private void note(String s) {
        if (log != null) {
            log.println("mipeaks: " + s);
            log.flush();
        }
    }

    /** BF16 and F32 go to the kernels as they are; F16 and exactly-representable F64 as F32; else null. */
    private static DType kernelType(Matrix x, Matrix y) {
        if (x.dtype() == y.dtype() && (x.dtype() == DType.BF16 || x.dtype() == DType.F32)) {
            return x.dtype();
        }
        for (Matrix a : new Matrix[] {x, y}) {
            if (a.dtype() == DType.F64) {
                for (int r = 0; r < a.rows(); r++) {
                    for (double v : a.row(r)) {
                        if ((double) (float) v != v && Double.isFinite(v)) {
                            return null;
                        }
                    }
                }
            }
        }
        return DType.F32;
    }

    private Estimate[] cpuAll(Matrix x, Matrix y, Progress progress) {
        int n = x.rows();
        Estimate[] out = new Estimate[n];
        Estimator.Prepared py = null;
        if (y.rows() == 1) {
            double[] yv = y.row(0);
            Inputs.checkFinite(y.where(), 0, yv);
            py = cpu.prepare(yv);
        }
        for (int i = 0; i < n; i++) {
            double[] xv = x.row(i);
            Inputs.checkFinite(x.where(), i, xv);
            Estimator.Prepared p = py;
            if (p == null) {
                double[] yv = y.row(i);
                Inputs.checkFinite(y.where(), i, yv);
                p = cpu.prepare(yv);
            }
            out[i] = cpu.estimate(cpu.prepare(xv), p);
            if (progress != null && (i + 1) % 256 == 0) {
                progress.update(i + 1, n);
            }
        }
        if (progress != null) {
            progress.update(n, n);
        }
        return out;
    }

    /**
     * One call: its launch plan and the chunks in flight on the backend's two streams. Group g is xs[g] against ys[g]
     * (one group for estimate(); several trajectories for estimateTrajectories()); pairs are numbered across the
     * groups, group 0's rows first.
     */
    private final class Run implements AutoCloseable {
        final Matrix[] xs;
        final Matrix[] ys;
        /** First pair of each group; start[groups] = n. */
        final int[] first;
        final int n;
        final int m;
        final boolean traj;
        final int esize;
        final DType kt;
        final CUfunction fn;
        final int threads;
        final int rmax;
        final LaunchPlan plan;
        final int chunk;
        final Lane[] lanes = new Lane[2];
        LaunchPlan.YFactor yf;
        final double[] values;
        final int[] rankX;
        final int[] rankY;
        final int[] status;

        Run(Matrix[] xs, Matrix[] ys, DType kt) {
            this.xs = xs;
            this.ys = ys;
            this.kt = kt;
            first = new int[xs.length + 1];
            for (int g = 0; g < xs.length; g++) {
                first[g + 1] = first[g] + xs[g].rows();
            }
            n = first[xs.length];
            m = xs[0].cols();
            traj = xs.length > 1 || ys[0].rows() == 1 && n > 1;
            esize = kt == DType.BF16 ? 2 : 4;
            threads = threadsOverride > 0 ? threadsOverride : threadsFor(m);
            if (binding.lowRank() && (long) EMAX_WIDE * threads < m) {
                throw MipeaksException.invalid("threads per block " + threads + " too few for m = " + m + " (need >= m/" + EMAX_WIDE + ")");
            }
            fn = dev.function(lib, entryFor(binding.entryBase(), kt, binding.lowRank(), m, threads));
            // the occupancy query needs the function's dynamic shared memory limit raised first (opt-in above 48 KiB)
            plan = LaunchPlan.of(n, m, esize, traj, binding.lowRank(), threads, dev.sharedMemoryOptin(), smem -> {
                if (smem > dev.sharedMemoryOptin()) {
                    return 0;  // go() computes on the CPU
                }
                if (binding.lowRank()) {
                    cuFuncSetAttribute(fn, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, (int) smem);
                }
                int[] perSm = new int[1];
                cuOccupancyMaxActiveBlocksPerMultiprocessor(perSm, fn, threads, smem);
                return perSm[0];
            }, dev.multiprocessors(), dev.memoryInfo()[0], Long.getLong("mipeaks.gpu.smemCols", Long.MAX_VALUE))
                    .grouped(xs.length);
            rmax = plan.rmax();
            chunk = plan.chunk();
            values = new double[n];
            rankX = new int[n];
            rankY = new int[n];
            status = new int[n];
        }

        /** The estimates of every group. */
        Estimate[][] go(Progress progress) {
            if (plan.lowRank() && Math.max(plan.smemBytes(), plan.ySmemBytes()) > dev.sharedMemoryOptin()) {
                note("m = " + m + " needs " + plan.smemBytes() + " bytes of shared memory per block, more than this device's "
                        + dev.sharedMemoryOptin() + ": computing on the CPU");
                return cpuGroups(progress);
            }
            LaneSizes need = LaneSizes.of(plan);
            for (int l = 0; l < 2; l++) {
                lanes[l] = new Lane(lane(l, need));
            }
            if (traj) {
                if (!prepareY()) {
                    note("the y factor needs more than " + rmax + " columns: computing on the CPU");
                    return cpuGroups(progress);
                }
            }
            int chunks = (n + chunk - 1) / chunk;
            long done = 0;
            for (int c = 0; c < chunks; c++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new MipeaksException(ExitCode.INTERRUPTED, "interrupted");
                }
                Lane ln = lanes[c & 1];
                done += ln.finish();
                if (progress != null && done > 0) {
                    progress.update(done, n);
                }
                int start = c * chunk;
                ln.submit(start, Math.min(n, start + chunk));
            }
            for (Lane ln : lanes) {
                done += ln.finish();
            }
            if (progress != null) {
                progress.update(done, n);
            }
            return collect();
        }

        /** Every group on the CPU (the call cannot run on the GPU at all). */
        Estimate[][] cpuGroups(Progress progress) {
            Estimate[][] out = new Estimate[xs.length][];
            for (int g = 0; g < xs.length; g++) {
                out[g] = cpuAll(xs[g], ys[g], xs.length == 1 ? progress : null);
            }
            return out;
        }

        /**
         * Copies row 0 of every group's y to the device (and, grouped, every pair's group index) and factors them there
         * (low-rank kernels: one launch, a block per y row). False when the single y's rank exceeds rmax; grouped, the
         * pairs of a y whose rank does so come back as rank overflow and are recomputed on the CPU.
         */
        boolean prepareY() {
            Lane ln = lanes[0];
            int groups = xs.length;
            DevPtr row = yRow.atLeast(plan.yRowBytes());
            for (int g = 0; g < groups; g++) {
                fillRows(ys[g], 0, 1, ln.b.hx, g);
            }
            cuMemcpyHtoDAsync(row, ln.b.hxPtr, plan.yRowBytes(), ln.b.stream);
            long sigma = 0;
            if (cfg.rowSigma() != null) {
                DevPtr ds = ySigma.atLeast(8L * groups);
                for (int g = 0; g < groups; g++) {
                    ln.b.hsy.putDouble(8 * g, cfg.sigmaFor(ys[g].row(0)));
                }
                cuMemcpyHtoDAsync(ds, ln.b.hsyPtr, 8L * groups, ln.b.stream);
                sigma = ds.address();
            }
            long group = 0;
            if (plan.isGrouped()) {
                ByteBuffer gi = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
                for (int g = 0; g < groups; g++) {
                    for (int i = first[g]; i < first[g + 1]; i++) {
                        gi.putInt(4 * i, g);
                    }
                }
                DevPtr dg = yGroups.atLeast(4L * n);
                cuStreamSynchronize(ln.b.stream);
                jcuda.driver.JCudaDriver.cuMemcpyHtoD(dg, Pointer.to(gi), 4L * n);
                group = dg.address();
            }
            if (!plan.yFactorLaunch()) {
                yf = new LaunchPlan.YFactor(row.address(), sigma, 0, 0, 0, 0, group);
                cuStreamSynchronize(ln.b.stream);  // ln.b.hx is refilled by the first chunk
                return true;
            }
            DevPtr rank = yRank.atLeast(4L * groups);
            yf = new LaunchPlan.YFactor(row.address(), sigma, yB.atLeast(plan.yFactorBytes()).address(),
                    yG.atLeast(plan.ySmallBytes()).address(), yL.atLeast(plan.ySmallBytes()).address(), rank.address(), group);
            KernelArgs a = plan.writeY(cfg, yf, ln.b.scratch.address());
            // one function, two shared memory sizes: the limit covers the larger (the batch launches come next)
            cuFuncSetAttribute(fn, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                    (int) Math.max(plan.ySmemBytes(), plan.smemBytes()));
            launch(a, plan.yGrid(), plan.ySmemBytes(), ln.b.stream);
            ByteBuffer r = ByteBuffer.allocateDirect(4 * groups).order(ByteOrder.nativeOrder());
            cuStreamSynchronize(ln.b.stream);
            jcuda.driver.JCudaDriver.cuMemcpyDtoH(Pointer.to(r), rank, 4L * groups);
            for (int g = 0; g < groups; g++) {
                if (r.getInt(4 * g) == -2) {
                    Inputs.checkFinite(ys[g].where(), 0, ys[g].row(0));
                }
            }
            if (!plan.isGrouped()) {
                return r.getInt(0) > 0;
            }
            for (int g = 0; g < groups; g++) {
                if (r.getInt(4 * g) <= 0) {
                    note(ys[g].where() + ": the y factor needs more than " + rmax + " columns: computing its pairs on the CPU");
                }
            }
            return true;
        }

        void launch(KernelArgs a, int gridX, long smem, CUstream stream) {
            List<String> miss = LaunchPlan.missing(a, binding.lowRank());
            if (!miss.isEmpty()) {
                throw new IllegalStateException("kernel arguments without " + miss + " (flags " + a.flags + ")");
            }
            Pointer params = Pointer.to(Pointer.to(a.bytes()));
            cuLaunchKernel(fn, gridX, 1, 1, threads, 1, 1, (int) smem, stream, params, null);
        }

        /**
         * Copies rows [start, end) of {@code src} into {@code dst} in the kernel's element type. Rows of the kernel's
         * type are copied as bytes, in parallel slices (this copy bounds the end-to-end rate); NaN/Inf are found by
         * the kernels, which flag the pair (see {@link #collect}).
         */
        void fillRows(Matrix src, int start, int end, ByteBuffer dst) {
            fillRows(src, start, end, dst, 0);
        }

        /** The same into {@code dst} from its row {@code at} on. */
        void fillRows(Matrix src, int start, int end, ByteBuffer dst, int at) {
            dst.clear();
            if (src.dtype() == kt) {
                long rowBytes = (long) m * esize;
                int rows = end - start;
                int slices = (int) Math.max(1, Math.min(8, rows * rowBytes / (4L << 20)));
                java.util.stream.IntStream.range(0, slices).parallel().forEach(sl -> {
                    int r0 = start + (int) ((long) rows * sl / slices);
                    int r1 = start + (int) ((long) rows * (sl + 1) / slices);
                    ByteBuffer sb = src.buffer().duplicate();
                    ByteBuffer db = dst.duplicate();
                    int len = Math.toIntExact((r1 - r0) * rowBytes);
                    db.put(Math.toIntExact((at + r0 - start) * rowBytes), sb, Math.toIntExact(r0 * rowBytes), len);
                });
            } else {
                double[] row = new double[m];
                for (int r = start; r < end; r++) {
                    src.row(r, row);
                    Inputs.checkFinite(src.where(), r, row);
                    int base = (at + r - start) * m * 4;
                    for (int j = 0; j < m; j++) {
                        dst.putFloat(base + 4 * j, (float) row[j]);
                    }
                }
            }
        }

        /** The group of pair {@code i}. */
        int groupOf(int i) {
            int g = java.util.Arrays.binarySearch(first, i);
            if (g < 0) {
                return -g - 2;
            }
            while (first[g + 1] == i) {  // empty groups start where the next one does
                g++;
            }
            return g;
        }

        /** Rows [start, end) of the pairs' x (across groups) into {@code dst}. */
        void fillX(int start, int end, ByteBuffer dst) {
            for (int i = start; i < end; ) {
                int g = groupOf(i);
                int e = Math.min(end, first[g + 1]);
                fillRows(xs[g], i - first[g], e - first[g], dst, i - start);
                i = e;
            }
        }

        Estimate[][] collect() {
            Estimate[] out = new Estimate[n];
            for (int i = 0; i < n; i++) {
                if (status[i] == KernelArgs.STATUS_NONFINITE) {
                    // the kernel saw NaN/Inf in this pair: the row check names the tensor, row and column
                    int g = groupOf(i);
                    int r = i - first[g];
                    Inputs.checkFinite(xs[g].where(), r, xs[g].row(r));
                    Inputs.checkFinite(ys[g].where(), traj ? 0 : r, ys[g].row(traj ? 0 : r));
                    throw new MipeaksException(ExitCode.ERROR, "pair " + i + " flagged non-finite by the GPU but its rows are finite");
                }
            }
            Estimator.Prepared[] py = new Estimator.Prepared[xs.length];
            for (int i = 0; i < n; i++) {
                if (status[i] == KernelArgs.STATUS_OK) {
                    out[i] = new Estimate(values[i], rankX[i], rankY[i]);
                } else {
                    lastOverflow++;
                    int g = groupOf(i);
                    int r = i - first[g];
                    if (traj && py[g] == null) {
                        py[g] = cpu.prepare(ys[g].row(0));
                    }
                    Estimator.Prepared p = traj ? py[g] : cpu.prepare(ys[g].row(r));
                    out[i] = cpu.estimate(cpu.prepare(xs[g].row(r)), p);
                }
            }
            Estimate[][] byGroup = new Estimate[xs.length][];
            for (int g = 0; g < xs.length; g++) {
                byGroup[g] = java.util.Arrays.copyOfRange(out, first[g], first[g + 1]);
            }
            return byGroup;
        }

        /** One stream's chunk in flight, on the backend's buffers of that stream. */
        final class Lane {
            final LaneBuffers b;
            int start = -1;
            int end = -1;

            Lane(LaneBuffers b) {
                this.b = b;
            }

            void submit(int s, int e) {
                start = s;
                end = e;
                int rows = e - s;
                fillX(s, e, b.hx);
                long inBytes = (long) rows * m * esize;
                cuMemcpyHtoDAsync(b.dx, b.hxPtr, inBytes, b.stream);
                if (!traj) {
                    fillRows(ys[0], s, e, b.hy);
                    cuMemcpyHtoDAsync(b.dy, b.hyPtr, inBytes, b.stream);
                }
                long sx = 0;
                long sy = 0;
                if (cfg.rowSigma() != null) {
                    double[] row = new double[m];
                    for (int r = s; r < e; r++) {
                        int g = groupOf(r);
                        xs[g].row(r - first[g], row);
                        b.hsx.putDouble(8 * (r - s), cfg.sigmaFor(row));
                        if (!traj) {
                            ys[0].row(r, row);
                            b.hsy.putDouble(8 * (r - s), cfg.sigmaFor(row));
                        }
                    }
                    cuMemcpyHtoDAsync(b.dsx, b.hsxPtr, 8L * rows, b.stream);
                    sx = b.dsx.address();
                    if (!traj) {
                        cuMemcpyHtoDAsync(b.dsy, b.hsyPtr, 8L * rows, b.stream);
                        sy = b.dsy.address();
                    }
                }
                KernelArgs a = plan.batch(cfg, rows, b.dx.address(), traj ? 0 : b.dy.address(), sx, sy, b.dout.address(),
                        b.scratch.address(), yf == null ? null : yf.fromPair(s));
                launch(a, plan.gridFor(rows), plan.smemBytes(), b.stream);
                cuMemcpyDtoHAsync(b.houtPtr, b.dout, 20L * rows, b.stream);
            }

            /** Waits for this lane's chunk and stores its outputs; returns the rows finished. */
            int finish() {
                if (start < 0) {
                    return 0;
                }
                cuStreamSynchronize(b.stream);
                int rows = end - start;
                for (int i = 0; i < rows; i++) {
                    values[start + i] = b.hout.getDouble(8 * i);
                    rankX[start + i] = b.hout.getInt(8 * rows + 4 * i);
                    rankY[start + i] = b.hout.getInt(12 * rows + 4 * i);
                    status[start + i] = b.hout.getInt(16 * rows + 4 * i);
                }
                start = -1;
                return rows;
            }
        }

        @Override
        public void close() {
            for (Lane ln : lanes) {
                if (ln != null) {
                    try {
                        ln.b.sync();  // the buffers outlive this call: nothing may still write them
                    } catch (CudaException e) {
                        // keep freeing the rest
                    }
                }
            }
        }
    }

    /**
     * The buffers of stream {@code i} for a call that needs {@code need}: kept from earlier calls when they cover it,
     * otherwise reallocated covering both (grow-only).
     */
    private LaneBuffers lane(int i, LaneSizes need) {
        LaneBuffers have = laneBuffers[i];
        if (have != null && have.sizes.covers(need)) {
            return have;
        }
        LaneSizes sizes = have == null ? need : have.sizes.union(need);
        laneBuffers[i] = null;
        if (have != null) {
            have.close();
        }
        try {
            laneBuffers[i] = new LaneBuffers(sizes);
        } catch (CudaException e) {
            if (sizes.equals(need)) {
                throw e;
            }
            laneBuffers[i] = new LaneBuffers(need);  // the union does not fit: just this call's sizes
        }
        return laneBuffers[i];
    }

    /** Frees the buffers kept between calls (the next call allocates them again); the device stays open. */
    public synchronized void releaseBuffers() {
        for (int i = 0; i < laneBuffers.length; i++) {
            if (laneBuffers[i] != null) {
                laneBuffers[i].close();
                laneBuffers[i] = null;
            }
        }
        for (GrowBuffer g : new GrowBuffer[] {yRow, ySigma, yB, yG, yL, yRank, yGroups}) {
            g.close();
        }
    }

    @Override
    public synchronized void close() {
        try {
            releaseBuffers();
        } finally {
            dev.close();
        }
    }
}
