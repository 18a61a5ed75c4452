package dev.mipeaks.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.Matrix;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.mi.CpuMiBackend;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.EstimatorRegistry;
import dev.mipeaks.mi.MiBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The GPU acceptance check (scripts/device-check.sh runs it on a GPU machine):
 * <ol>
 *   <li>parity: every GPU estimator on ../shared/parity (row-paired and trajectory mode, f32 and bf16-rounded
 *       inputs) against the exact values of mi_expected.json and against the CPU engine on the same inputs;</li>
 *   <li>throughput: nhsic at m = 4096, sigma 50, bf16 hidden-state-like rows, 10k and 100k pairs, trajectory and
 *       row-paired, end to end through {@link CudaMiBackend} (host staging, copies, kernels);</li>
 *   <li>the pipeline's call pattern: {@code run}'s MI stream hands over every captured layer of a 128-step chunk in
 *       one call ({@link CudaMiBackend#estimateTrajectories}); its rate against the 100k-pair trajectory rate (target
 *       >= 80%), and its values against one call per layer (bit for bit).</li>
 * </ol>
 * Usage: {@code DeviceCheck parity DIR} | {@code DeviceCheck bench [PAIRS...]} | {@code DeviceCheck pattern-cpu}
 * (the pipeline-pattern step on the CPU engine: a dry run where there is no GPU); prints markdown. Exit 0 when all
 * checks pass, 1 on a mismatch, 3 when no device.
 */
public final class DeviceCheck {
    private DeviceCheck() {
    }

    record Variant(String estimator, Map<String, String> params, String field) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("nhsic", Map.of(), "nhsic_sigma50"),
            new Variant("nhsic", Map.of("sigma", "200"), "nhsic_sigma200"),
            new Variant("nhsic", Map.of("sigma", "median"), "nhsic_sigma_median"),
            new Variant("hsic", Map.of(), "hsic_sigma50"),
            new Variant("cka-linear", Map.of(), "cka_linear"),
            new Variant("cka-rbf", Map.of(), "cka_rbf"));

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        int code;
        try {
            if (args.length >= 2 && args[0].equals("parity")) {
                code = parity(Path.of(args[1]), out);
            } else if (args.length >= 1 && args[0].equals("bench")) {
                List<Integer> sizes = new ArrayList<>();
                for (int i = 1; i < args.length; i++) {
                    sizes.add(Integer.parseInt(args[i]));
                }
                code = bench(sizes.isEmpty() ? List.of(10_000, 100_000) : sizes, out);
            } else if (args.length >= 1 && args[0].equals("pattern-cpu")) {
                code = patternOnCpu(out);
            } else {
                System.err.println("usage: DeviceCheck parity DIR | bench [PAIRS...] | pattern-cpu");
                code = 2;
            }
        } catch (dev.mipeaks.MipeaksException e) {
            out.println("SKIP: " + e.getMessage());
            code = e.exitCode().code();
        }
        out.flush();
        System.exit(code);
    }

    static CudaMiBackend open(String name, Map<String, String> params, PrintWriter log) {
        EstimatorProvider p = EstimatorRegistry.load().get(name);
        EstimatorParams ep = EstimatorParams.parse(name, p.parameters(), params);
        KernelBinding b = Devices.binding(p).orElseThrow(() -> new IllegalStateException("no GPU binding for " + name));
        return Devices.openCuda(0, b, ep, p.create(ep), log);
    }

    static Estimator cpu(String name, Map<String, String> params) {
        return EstimatorRegistry.load().create(name, params);
    }

    /** Rows of {@code m} rounded to bfloat16 (round to nearest even), as a BF16 matrix. */
    static Matrix toBf16(Matrix m) {
        ByteBuffer b = ByteBuffer.allocate(m.rows() * m.cols() * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < m.rows(); r++) {
            for (double v : m.row(r)) {
                b.putShort(bf16((float) v));
            }
        }
        b.flip();
        return new Matrix(m.where() + " (bf16-rounded)", DType.BF16, m.rows(), m.cols(), b);
    }

    static short bf16(float f) {
        int u = Float.floatToRawIntBits(f);
        u += 0x7fff + ((u >>> 16) & 1);
        return (short) (u >>> 16);
    }

    static double rel(double got, double want) {
        return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
    }

    static int parity(Path dir, PrintWriter out) throws IOException {
        JsonNode root = new ObjectMapper().readTree(dir.resolve("mi_expected.json").toFile());
        int failures = 0;
        out.println("### GPU parity (../shared/parity)");
        out.println();
        out.println("| estimator | field | input | mode | cases | max rel err vs exact | max rel err vs CPU engine | ranks | result |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("mi_pairs.safetensors"))) {
            for (Variant v : VARIANTS) {
                try (CudaMiBackend gpu = open(v.estimator(), v.params(), null)) {
                    Estimator cpu = cpu(v.estimator(), v.params());
                    for (String t : new String[] {"m64", "m512", "m4096"}) {
                        Matrix x32 = f.matrix(t + ".x");
                        Matrix y32 = f.matrix(t + ".y");
                        for (boolean bf : new boolean[] {false, true}) {
                            Matrix x = bf ? toBf16(x32) : x32;
                            Matrix y = bf ? toBf16(y32) : y32;
                            for (boolean traj : new boolean[] {false, true}) {
                                Matrix yy = traj ? firstRow(y) : y;
                                Estimate[] g = gpu.estimate(x, yy);
                                Estimate[] c;
                                try (CpuMiBackend cb = new CpuMiBackend(cpu, 2)) {
                                    c = cb.estimate(x, yy);
                                }
                                double worstExact = 0;
                                double worstCpu = 0;
                                int cases = 0;
                                int minR = Integer.MAX_VALUE;
                                int maxR = -1;
                                boolean bad = false;
                                for (int r = 0; r < x.rows(); r++) {
                                    double e = rel(g[r].value(), c[r].value());
                                    worstCpu = Math.max(worstCpu, e);
                                    // CPU and GPU run the same float64 algorithm: only summation order differs
                                    if (!(e <= 1e-9 || Math.abs(g[r].value() - c[r].value()) <= 1e-15)) {
                                        bad = true;
                                        out.println("  MISMATCH " + v.field() + " " + t + "[" + r + "]" + (bf ? " bf16" : "") + (traj ? " traj" : "")
                                                + ": gpu " + g[r].value() + " cpu " + c[r].value() + " ranks gpu " + g[r].rankX() + "/" + g[r].rankY()
                                                + " cpu " + c[r].rankX() + "/" + c[r].rankY());
                                    }
                                    minR = Math.min(minR, Math.min(g[r].rankX(), g[r].rankY()));
                                    maxR = Math.max(maxR, Math.max(g[r].rankX(), g[r].rankY()));
                                    if (!bf && !traj) {
                                        JsonNode cs = find(root, t, r);
                                        if (cs != null && cs.has(v.field())) {
                                            double want = cs.get(v.field()).asDouble();
                                            double ex = rel(g[r].value(), want);
                                            worstExact = Math.max(worstExact, ex);
                                            cases++;
                                            // 1e-6 relative; values below 1 also pass at 1e-6 absolute when the
                                            // CPU engine agrees (the JSON's own float64 rounding on sparse rows)
                                            boolean ok = ex <= 1e-6 || (Math.abs(g[r].value() - want) <= 1e-6 && e <= 1e-9);
                                            if (!ok) {
                                                bad = true;
                                                out.println("  MISMATCH " + v.field() + " " + t + "[" + r + "]: gpu " + g[r].value()
                                                        + " exact " + want + " (rel " + ex + ")");
                                            }
                                        }
                                    }
                                }
                                failures += bad ? 1 : 0;
                                out.printf("| %s | %s | %s %s | %s | %d | %s | %.2e | %s | %s |%n", v.estimator(), v.field(), t,
                                        bf ? "bf16" : "f32", traj ? "trajectory" : "paired", x.rows(),
                                        cases > 0 ? String.format("%.2e", worstExact) : "-", worstCpu,
                                        maxR < 0 ? "-" : minR + ".." + maxR, bad ? "FAIL" : "ok");
                            }
                        }
                    }
                }
            }
        }
        out.println();
        out.println("parity: " + (failures == 0 ? "passed" : failures + " groups FAILED"));
        return failures == 0 ? 0 : 1;
    }

    static Matrix firstRow(Matrix y) {
        int rowBytes = y.cols() * y.dtype().bytes();
        ByteBuffer b = y.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position(0).limit(rowBytes);
        ByteBuffer c = ByteBuffer.allocate(rowBytes).order(ByteOrder.LITTLE_ENDIAN);
        c.put(b).flip();
        return new Matrix(y.where() + " row 0", y.dtype(), 1, y.cols(), c);
    }

    static JsonNode find(JsonNode root, String tensor, int row) {
        for (JsonNode c : root.get("cases")) {
            if (c.get("tensor").asText().equals(tensor) && c.get("row").asInt() == row) {
                return c;
            }
        }
        return null;
    }

    /** Hidden-state-like bf16 rows: N(0,1) bulk plus 6 entries of magnitude 100..700 per row. */
    static Matrix hiddenLike(String where, int n, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        short[] pool = new short[1 << 20];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = bf16((float) nextGaussian(rnd));
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact((long) n * m * 2)).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < n; r++) {
            int off = rnd.nextInt(pool.length - m);
            int base = r * m * 2;
            for (int j = 0; j < m; j++) {
                b.putShort(base + 2 * j, pool[off + j]);
            }
            for (int s = 0; s < 6; s++) {
                int j = (int) ((s * 2654435761L) % m);
                b.putShort(base + 2 * j, bf16((float) ((s % 2 == 0 ? 1 : -1) * (100 + 600 * rnd.nextDouble()))));
            }
        }
        return new Matrix(where, DType.BF16, n, m, b);
    }

    static double nextGaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static int bench(List<Integer> sizes, PrintWriter out) {
        int m = 4096;
        int nmax = sizes.stream().mapToInt(Integer::intValue).max().orElse(10_000);
        open("nhsic", Map.of(), null).close();  // no device: fail before generating a gigabyte of input
        Matrix x = hiddenLike("bench x", nmax, m, 1);
        Matrix y = hiddenLike("bench y", nmax, m, 2);
        Matrix y1 = firstRow(y);
        int failures = 0;
        out.println("### GPU nhsic throughput (m = 4096, sigma 50, bf16 inputs, end to end through CudaMiBackend)");
        out.println();
        // which build of the kernel runs: the jar's, or a variant given with -Dmipeaks.kernels (user kernels win)
        out.println("kernel module: " + KernelLibrary.load().moduleFor("mipeaks_nhsic_bf16").name());
        out.println();
        out.println("| mode | pairs | threads/block | seconds | pairs/s | input GB/s | mean rank x | CPU recomputed | spot check vs CPU |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        Estimator cpu = cpu("nhsic", Map.of());
        double trajRate = 0;  // trajectory pairs/s at the largest size
        try (CudaMiBackend gpu = open("nhsic", Map.of(), null)) {
            for (boolean traj : new boolean[] {true, false}) {
                for (int n : sizes) {
                    Matrix xs = slice(x, n);
                    Matrix ys = traj ? y1 : slice(y, n);
                    for (int threads : new int[] {512}) {
                        gpu.setThreads(threads);
                        gpu.estimate(slice(x, Math.min(n, 2000)), traj ? y1 : slice(y, Math.min(n, 2000)));  // warm-up
                        long t0 = System.nanoTime();
                        Estimate[] g = gpu.estimate(xs, ys);
                        double s = (System.nanoTime() - t0) / 1e9;
                        double rs = 0;
                        for (Estimate e : g) {
                            rs += e.rankX();
                        }
                        double worst = 0;
                        Estimator.Prepared py = traj ? cpu.prepare(ys.row(0)) : null;
                        for (int k = 0; k < 8; k++) {
                            int r = (int) ((long) k * (n - 1) / 7);
                            Estimator.Prepared p = traj ? py : cpu.prepare(ys.row(r));
                            worst = Math.max(worst, rel(g[r].value(), cpu.estimate(cpu.prepare(xs.row(r)), p).value()));
                        }
                        boolean ok = worst <= 1e-9;
                        failures += ok ? 0 : 1;
                        if (traj && n == nmax) {
                            trajRate = n / s;
                        }
                        double bytes = 2.0 * m * n * (traj ? 1 : 2);
                        out.printf("| %s | %d | %d | %.3f | %.0f | %.2f | %.1f | %d | max rel %.1e %s |%n", traj ? "trajectory" : "row-paired",
                                n, threads, s, n / s, bytes / s / 1e9, rs / n, gpu.lastOverflow(), worst, ok ? "ok" : "FAIL");
                    }
                }
            }
            // the pipeline's former pattern: one layer's 128-step chunk per call (--mi-chunk 128), so what a call
            // costs besides the kernel decided its MI rate
            gpu.setThreads(0);
            int calls = 200;
            int rows = 128;
            Matrix xs = slice(x, rows);
            gpu.estimate(xs, y1);  // warm-up
            long t0 = System.nanoTime();
            for (int c = 0; c < calls; c++) {
                gpu.estimate(xs, y1);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            out.printf("pipeline pattern, per layer (before): %d calls of %d trajectory pairs: %.3f s, %.0f pairs/s, %.2f ms per call%n",
                    calls, rows, s, calls * (double) rows / s, 1e3 * s / calls);
            failures += pipelinePattern(gpu, x, y, trajRate, nmax + "-pair trajectory rate", 50, out);
        }
        out.println();
        return failures == 0 ? 0 : 1;
    }

    /** Layers of the pipeline-pattern step: every decoder layer of an 8B Llama ({@code run --layers all}). */
    static final int PATTERN_LAYERS = 32;
    /** Steps per chunk of the pipeline's MI stream ({@code --mi-chunk} default). */
    static final int PATTERN_CHUNK = 128;

    /**
     * The pipeline's call pattern as MiStream makes it now: every captured layer of a 128-step chunk in one
     * {@link CudaMiBackend#estimateTrajectories} call, each layer against its own ground-truth row. Prints its rate,
     * the ratio to {@code trajRate} (the 100k-pair trajectory rate, {@code trajLabel}; target >= 80%), checks the values bit for bit
     * against one {@link CudaMiBackend#estimate} call per layer; {@code calls} timed calls. Returns the failures (0 or 1).
     */
    static int pipelinePattern(MiBackend gpu, Matrix x, Matrix y, double trajRate, String trajLabel, int calls, PrintWriter out) {
        int layers = PATTERN_LAYERS;
        int rows = PATTERN_CHUNK;
        List<Matrix> xs = new ArrayList<>();
        List<Matrix> ys = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            xs.add(rows(x, l * rows, rows, "layer " + l));
            ys.add(rows(y, l, 1, "gt layer " + l));
        }
        Estimate[][] grouped = gpu.estimateTrajectories(xs, ys);  // warm-up, and the values to check
        int mismatches = 0;
        for (int l = 0; l < layers; l++) {
            Estimate[] one = gpu.estimate(xs.get(l), ys.get(l));
            for (int k = 0; k < rows; k++) {
                if (Double.doubleToRawLongBits(one[k].value()) != Double.doubleToRawLongBits(grouped[l][k].value())
                        || one[k].rankX() != grouped[l][k].rankX() || one[k].rankY() != grouped[l][k].rankY()) {
                    if (mismatches++ < 3) {
                        out.println("  MISMATCH pipeline pattern layer " + l + " step " + k + ": all layers in one call "
                                + grouped[l][k].value() + ", one call per layer " + one[k].value());
                    }
                }
            }
        }
        long t0 = System.nanoTime();
        for (int c = 0; c < calls; c++) {
            gpu.estimateTrajectories(xs, ys);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double rate = calls * (double) layers * rows / s;
        out.printf("pipeline pattern, all %d layers of a %d-step chunk per call (as run's MI stream calls it): %d calls, %.3f s,"
                + " %.0f pairs/s, %.2f ms per call; values bit for bit those of one call per layer: %s%n", layers, rows, calls, s,
                rate, 1e3 * s / calls, mismatches == 0 ? "yes" : "NO (" + mismatches + " pairs differ)");
        if (trajRate > 0) {
            double ratio = rate / trajRate;
            out.printf("pipeline pattern / %s: %.0f / %.0f = %.0f%% (target >= 80%%: %s)%n", trajLabel, rate, trajRate,
                    100 * ratio, ratio >= 0.8 ? "met" : "NOT met");
        }
        return mismatches == 0 ? 0 : 1;
    }

    /**
     * The pipeline-pattern step on the CPU engine (all cores), against the CPU's own trajectory rate on as many pairs
     * as one pattern call: a dry run of the step's code where there is no GPU (the CPU has no per-call launch cost,
     * so its ratio says nothing about the GPU's).
     */
    static int patternOnCpu(PrintWriter out) {
        int m = 4096;
        int n = PATTERN_LAYERS * PATTERN_CHUNK;
        Matrix x = hiddenLike("bench x", n, m, 1);
        Matrix y = hiddenLike("bench y", PATTERN_LAYERS, m, 2);
        try (CpuMiBackend cpu = new CpuMiBackend(cpu("nhsic", Map.of()), Runtime.getRuntime().availableProcessors())) {
            Matrix y1 = firstRow(y);
            long t0 = System.nanoTime();
            cpu.estimate(x, y1);
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            out.printf("dry run on %s: trajectory rate %.0f pairs/s (%d pairs)%n", cpu.describe(), rate, n);
            return pipelinePattern(cpu, x, y, rate, n + "-pair trajectory rate", 1, out);
        }
    }

    /** Rows [start, start + n) of {@code a} as a matrix of their own. */
    static Matrix rows(Matrix a, int start, int n, String where) {
        int rowBytes = a.cols() * a.dtype().bytes();
        ByteBuffer b = a.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position(start * rowBytes).limit((start + n) * rowBytes);
        return new Matrix(a.where() + " " + where, a.dtype(), n, a.cols(), b.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    static Matrix slice(Matrix a, int rows) {
        ByteBuffer b = a.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position(0).limit(rows * a.cols() * a.dtype().bytes());
        return new Matrix(a.where(), a.dtype(), rows, a.cols(), b.slice().order(ByteOrder.LITTLE_ENDIAN));
    }
}
