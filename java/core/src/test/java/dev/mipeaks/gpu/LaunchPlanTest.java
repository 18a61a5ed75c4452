package dev.mipeaks.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.io.DType;
import dev.mipeaks.mi.KernelConfig;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The host side of the GPU engine without a GPU: the argument struct against {@code kernels/mipeaks_abi.h} (field
 * order, and the offsets a C++ compiler gives when one is here), and every launch {@link CudaMiBackend} makes
 * against a model of what the kernel touches (kernels/lowrank.cuh): each pointer set, each buffer large enough.
 */
class LaunchPlanTest {
    static final Path KERNELS = Path.of("..", "kernels");

    /** (C type, C name) of the MipeaksArgs fields, in declaration order. */
    static List<String[]> headerFields() throws IOException {
        String h = Files.readString(KERNELS.resolve("mipeaks_abi.h"));
        String body = h.substring(h.indexOf("typedef struct MipeaksArgs {"), h.indexOf("} MipeaksArgs;"));
        Matcher mt = Pattern.compile("^\\s*((?:const\\s+)?\\w+\\*?)\\s+(\\w+);", Pattern.MULTILINE).matcher(body);
        List<String[]> out = new ArrayList<>();
        while (mt.find()) {
            out.add(new String[] {mt.group(1), mt.group(2)});
        }
        return out;
    }

    static String camel(String c) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char ch : c.toCharArray()) {
            if (ch == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }

    @Test
    void argumentBytesFollowTheHeader() throws Exception {
        List<String[]> fields = headerFields();
        assertEquals(KernelArgs.FIELDS, fields.size(), "fields in mipeaks_abi.h");
        KernelArgs a = new KernelArgs();
        for (int i = 0; i < fields.size(); i++) {
            String type = fields.get(i)[0];
            assertTrue(type.endsWith("*") || type.equals("int64_t") || type.equals("double"), "8-byte field " + fields.get(i)[1]);
            Field f = KernelArgs.class.getDeclaredField(camel(fields.get(i)[1]));
            assertEquals(type.equals("double") ? double.class : long.class, f.getType(), fields.get(i)[1]);
            if (f.getType() == double.class) {
                f.setDouble(a, 1000.5 + i);
            } else {
                f.setLong(a, 1000 + i);
            }
        }
        ByteBuffer b = ByteBuffer.wrap(a.bytes()).order(ByteOrder.nativeOrder());
        assertEquals(8 * KernelArgs.FIELDS, b.capacity());
        for (int i = 0; i < fields.size(); i++) {
            boolean dbl = fields.get(i)[0].equals("double");
            assertEquals(dbl ? 1000.5 + i : 1000 + i, dbl ? b.getDouble(8 * i) : b.getLong(8 * i), 0.0, fields.get(i)[1] + " at byte " + 8 * i);
        }
    }

    /** Plain entry points up to 8 entries per thread (m <= 4096 at 512 threads), the _x16 ones beyond. */
    @Test
    void entryPointByVectorLength() {
        assertEquals("mipeaks_nhsic_bf16", CudaMiBackend.entryFor("mipeaks_nhsic", DType.BF16, true, 4096, CudaMiBackend.threadsFor(4096)));
        assertEquals("mipeaks_nhsic_f32", CudaMiBackend.entryFor("mipeaks_nhsic", DType.F32, true, 3584, CudaMiBackend.threadsFor(3584)));
        assertEquals("mipeaks_nhsic_bf16_x16", CudaMiBackend.entryFor("mipeaks_nhsic", DType.BF16, true, 5120, CudaMiBackend.threadsFor(5120)));
        assertEquals("mipeaks_hsic_f32_x16", CudaMiBackend.entryFor("mipeaks_hsic", DType.F32, true, 8192, 512));
        assertEquals("mipeaks_nhsic_f32_x16", CudaMiBackend.entryFor("mipeaks_nhsic", DType.F32, true, 512, 32), "forced small blocks");
        assertEquals("mipeaks_cka_linear_f32", CudaMiBackend.entryFor("mipeaks_cka_linear", DType.F32, false, 8192, 512), "not low-rank");
        for (int m = 2; m <= 8192; m += 97) {
            int t = CudaMiBackend.threadsFor(m);
            String e = CudaMiBackend.entryFor("k", DType.F32, true, m, t);
            long emax = e.endsWith("_x16") ? CudaMiBackend.EMAX_WIDE : CudaMiBackend.EMAX;
            assertTrue(m <= emax * t, "m = " + m + " threads " + t + " entry " + e);
            assertEquals(m > 4096, e.endsWith("_x16"), "m = " + m);
        }
    }

    /** What the C++ compiler says: struct offsets and the sizing helpers of mipeaks_abi.h / lowrank.cuh. */
    @Test
    void offsetsAndSizesMatchTheCompiledHeader() throws Exception {
        Path dir = Files.createTempDirectory("mipeaks-abi");
        StringBuilder src = new StringBuilder("#include <cstddef>\n#include <cstdio>\n#include \"cuda_emu.h\"\n#include \"lowrank.cuh\"\nint main() {\n");
        src.append("  printf(\"size %zu\\n\", sizeof(MipeaksArgs));\n");
        for (String[] f : headerFields()) {
            src.append("  printf(\"off ").append(f[1]).append(" %zu\\n\", offsetof(MipeaksArgs, ").append(f[1]).append("));\n");
        }
        long[][] shapes = {{2, 2}, {64, 64}, {513, 64}, {4096, 64}, {8192, 64}};
        for (long[] s : shapes) {
            src.append("  printf(\"fixed ").append(s[0]).append(' ').append(s[1]).append(" %lld %lld\\n\", (long long)mp_smem_fixed_bytes(")
                    .append(s[0]).append(", ").append(s[1]).append("), (long long)mipeaks_scratch_doubles(").append(s[0]).append(", ")
                    .append(s[1]).append("));\n");
        }
        src.append("  printf(\"emax %d %d threads %d\\n\", MP_EMAX, MP_EMAX_WIDE, MP_MAX_THREADS);\n  return 0;\n}\n");
        Files.writeString(dir.resolve("abi.cpp"), src);
        Path exe = dir.resolve("abi");
        Process p;
        try {
            p = new ProcessBuilder("g++", "-std=c++20", "-pthread", "-I" + KERNELS.toAbsolutePath(), "-I" + KERNELS.resolveSibling("native").toAbsolutePath(),
                    dir.resolve("abi.cpp").toString(), "-o", exe.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("SKIP offsetsAndSizesMatchTheCompiledHeader: no g++ (" + e.getMessage() + ")");
            Assumptions.assumeTrue(false, "no g++");
            return;
        }
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "g++ failed: " + log);
        Process r = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        String outp = new String(r.getInputStream().readAllBytes());
        assertTrue(r.waitFor(30, TimeUnit.SECONDS) && r.exitValue() == 0, outp);
        Map<String, String> kv = new TreeMap<>();
        for (String line : outp.split("\n")) {
            int sp = line.lastIndexOf(' ');
            String[] parts = line.split(" ");
            if (parts[0].equals("fixed")) {
                kv.put("fixed " + parts[1] + " " + parts[2], parts[3] + " " + parts[4]);
            } else if (parts[0].equals("emax")) {
                kv.put("emax", parts[1] + " " + parts[2] + " " + parts[4]);
            } else {
                kv.put(line.substring(0, sp), line.substring(sp + 1));
            }
        }
        assertEquals(String.valueOf(8 * KernelArgs.FIELDS), kv.get("size"), "sizeof(MipeaksArgs)");
        List<String[]> fields = headerFields();
        for (int i = 0; i < fields.size(); i++) {
            assertEquals(String.valueOf(8 * i), kv.get("off " + fields.get(i)[1]), "offsetof " + fields.get(i)[1]);
        }
        for (long[] s : shapes) {
            assertEquals(KernelArgs.smemFixedBytes(s[0], s[1]) + " " + KernelArgs.scratchDoubles(s[0], s[1]), kv.get("fixed " + s[0] + " " + s[1]),
                    "mp_smem_fixed_bytes / mipeaks_scratch_doubles at m=" + s[0] + " rmax=" + s[1]);
        }
        assertEquals(CudaMiBackend.EMAX + " " + CudaMiBackend.EMAX_WIDE + " " + CudaMiBackend.MAX_THREADS, kv.get("emax"));
    }

    /** Fake device memory: disjoint address ranges, and a check that an access lies inside one allocation. */
    static final class FakeMemory {
        final TreeMap<Long, Long> blocks = new TreeMap<>();
        long next = 1L << 32;

        long alloc(long bytes) {
            long a = next;
            blocks.put(a, Math.max(bytes, 8));
            next += (Math.max(bytes, 8) + 4095) / 4096 * 4096 + 4096;  // a gap: overruns land outside
            return a;
        }

        void access(String what, long ptr, long bytes) {
            assertTrue(ptr != 0, what + ": null pointer");
            Map.Entry<Long, Long> b = blocks.floorEntry(ptr);
            assertTrue(b != null && ptr + bytes <= b.getKey() + b.getValue(),
                    what + ": " + bytes + " bytes at +" + (b == null ? "?" : ptr - b.getKey()) + " outside its buffer of " + (b == null ? 0 : b.getValue()));
        }
    }

    /** The kernel's accesses for one launch (kernels/README.md, launch contract; lowrank.cuh mp_lowrank). */
    static void kernelAccesses(FakeMemory mem, LaunchPlan pl, KernelArgs a, int gridX, long smem, long smemOptin) {
        assertTrue(LaunchPlan.missing(a, pl.lowRank()).isEmpty(), "missing " + LaunchPlan.missing(a, pl.lowRank()));
        assertTrue(gridX >= 1 && pl.threads() % 32 == 0 && pl.threads() <= CudaMiBackend.MAX_THREADS, "launch shape");
        long n = a.n;
        long m = a.m;
        long es = pl.esize();
        if (pl.lowRank()) {
            assertTrue(m <= (long) CudaMiBackend.EMAX_WIDE * pl.threads(), "m <= MP_EMAX_WIDE * threads");
            assertTrue(smem <= smemOptin, "shared memory " + smem + " > opt-in " + smemOptin);
            assertEquals(KernelArgs.smemFixedBytes(m, a.rmax) + 8 * a.smemCols * m, smem, "smem = fixed + columns");
            assertTrue(a.rmax >= 1 && a.rmax <= m, "rmax");
        }
        // only the low-rank kernels read the flags: cka-linear runs a batch whatever they say
        // y factor slots: one per group (grouped trajectories), else one
        long slots = pl.groups();
        if (pl.lowRank() && (a.flags & KernelArgs.FLAG_WRITE_Y_FACTOR) != 0) {
            assertEquals(pl.yGrid(), gridX, "y factor launch grid");
            assertTrue(gridX <= pl.grid(), "y factor blocks within the lane's scratch slots");
            assertTrue(a.smemCols <= a.rmax, "y columns in shared memory");
            long rows = a.ldy == 0 ? 1 : n;  // lowrank.cuh: ldy == 0 factors row 0 only
            assertEquals(slots, rows, "y rows factored");
            mem.access("y rows", a.y, ((rows - 1) * a.ldy + m) * es);
            if (a.sigmaY != 0) {
                mem.access("sigma_y", a.sigmaY, 8 * rows);
            }
            mem.access("scratch of " + gridX + " blocks", a.scratch, 8 * gridX * KernelArgs.scratchDoubles(m, a.rmax));
            mem.access("yB", a.yB, 8 * a.rmax * m * rows);
            mem.access("yG", a.yG, 8 * a.rmax * a.rmax * rows);
            mem.access("yL", a.yL, 8 * a.rmax * a.rmax * rows);
            mem.access("y_rank", a.yRank, 4 * rows);
            return;
        }
        boolean yf = pl.lowRank() && (a.flags & KernelArgs.FLAG_Y_FACTORED) != 0;
        assertTrue(n >= gridX, "no idle blocks past n");
        mem.access("x", a.x, ((n - 1) * a.ldx + m) * es);
        if (a.yGroup != 0) {  // grouped: pair i reads y row / factor slot y_group[i] < groups
            mem.access("y_group", a.yGroup, 4 * n);
            mem.access("y", a.y, ((slots - 1) * a.ldy + m) * es);
        } else {
            assertEquals(1, slots, "several trajectories without y_group");
            mem.access("y", a.y, a.ldy == 0 ? m * es : ((n - 1) * a.ldy + m) * es);
        }
        if (a.sigmaX != 0) {
            mem.access("sigma_x", a.sigmaX, 8 * n);
        }
        if (a.sigmaY != 0 && !yf) {
            mem.access("sigma_y", a.sigmaY, a.yGroup != 0 ? 8 * slots : a.ldy == 0 ? 8 : 8 * n);
        }
        mem.access("value", a.value, 8 * n);
        mem.access("rank_x", a.rankX, 4 * n);
        mem.access("rank_y", a.rankY, 4 * n);
        mem.access("status", a.status, 4 * n);
        assertTrue(a.rankX >= a.value + 8 * n && a.rankY >= a.rankX + 4 * n && a.status >= a.rankY + 4 * n, "outputs overlap");
        if (pl.lowRank()) {
            if (yf) {
                assertTrue(a.smemCols <= a.rmax, "x columns in shared memory");
                mem.access("yB", a.yB, 8 * a.rmax * m * slots);
                mem.access("yG", a.yG, 8 * a.rmax * a.rmax * slots);
                mem.access("yL", a.yL, 8 * a.rmax * a.rmax * slots);
                mem.access("y_rank", a.yRank, 4 * slots);
            } else {
                assertTrue(a.smemCols - a.smemCols / 2 <= a.rmax, "x columns in shared memory");
            }
            mem.access("scratch of " + gridX + " blocks", a.scratch, 8 * gridX * KernelArgs.scratchDoubles(m, a.rmax));
        }
    }

    /** One estimate() call as CudaMiBackend.Run makes it: two lanes, the y factor, then chunk after chunk. */
    static void simulate(LaunchPlan pl, KernelConfig cfg, boolean rowSigma, long smemOptin) {
        simulate(pl, cfg, rowSigma, smemOptin, LaneSizes.of(pl));
    }

    /** The same on lane buffers of the given sizes (kept from earlier calls: they only have to cover the plan). */
    static void simulate(LaunchPlan pl, KernelConfig cfg, boolean rowSigma, long smemOptin, LaneSizes held) {
        assertTrue(held.covers(LaneSizes.of(pl)), "held lane buffers " + held + " cover " + LaneSizes.of(pl));
        FakeMemory mem = new FakeMemory();
        long[][] lane = new long[2][];
        for (int l = 0; l < 2; l++) {
            // dx, dy, dsx, dsy, dout, scratch (LaneBuffers' constructor)
            lane[l] = new long[] {mem.alloc(held.inputBytes()), held.paired() ? mem.alloc(held.inputBytes()) : 0,
                    mem.alloc(8L * held.sigmaRows()), mem.alloc(8L * held.sigmaRows()), mem.alloc(held.outBytes()),
                    mem.alloc(held.scratchBytes())};
        }
        LaunchPlan.YFactor yf = null;
        if (pl.traj()) {
            long row = mem.alloc(pl.yRowBytes());
            long sig = rowSigma ? mem.alloc(8L * pl.groups()) : 0;
            long group = pl.isGrouped() ? mem.alloc(4L * pl.n()) : 0;
            if (pl.isGrouped()) {
                assertTrue(pl.groups() <= pl.chunk(), "the y rows are staged in a lane's input buffer");
            }
            if (pl.yFactorLaunch()) {
                yf = new LaunchPlan.YFactor(row, sig, mem.alloc(pl.yFactorBytes()), mem.alloc(pl.ySmallBytes()), mem.alloc(pl.ySmallBytes()),
                        mem.alloc(4L * pl.groups()), group);
                kernelAccesses(mem, pl, pl.writeY(cfg, yf, lane[0][5]), pl.yGrid(), pl.ySmemBytes(), smemOptin);
            } else {
                yf = new LaunchPlan.YFactor(row, sig, 0, 0, 0, 0, group);  // CudaMiBackend.Run.prepareY: the rows only
            }
        }
        int chunks = (pl.n() + pl.chunk() - 1) / pl.chunk();
        long rowsDone = 0;
        for (int c = 0; c < chunks; c++) {
            long[] ln = lane[c & 1];
            int s = c * pl.chunk();
            int rows = Math.min(pl.n(), s + pl.chunk()) - s;
            assertTrue((long) rows * pl.m() * pl.esize() <= pl.inputBytes(), "chunk input fits the lane");
            KernelArgs a = pl.batch(cfg, rows, ln[0], ln[1], rowSigma ? ln[2] : 0, rowSigma && !pl.traj() ? ln[3] : 0, ln[4], ln[5],
                    yf == null ? null : yf.fromPair(s));
            kernelAccesses(mem, pl, a, pl.gridFor(rows), pl.smemBytes(), smemOptin);
            assertTrue(20L * rows <= pl.outBytes(), "outputs copied back fit");
            rowsDone += rows;
        }
        assertEquals(pl.n(), rowsDone);
    }

    @Test
    void everyLaunchStaysInsideItsBuffers() {
        KernelConfig fixed = new KernelConfig(50, 1e-3, 1e-6, null);
        KernelConfig median = new KernelConfig(Double.NaN, 1e-3, 1e-6, v -> 1.0);
        long[] optins = {232448, 101376, 49152};  // H100/H200, sm_86, no opt-in
        int cases = 0;
        for (int m : new int[] {2, 64, 100, 512, 4096, 8192}) {
            for (int n : new int[] {1, 5, 133, 20_000}) {
                for (int esize : new int[] {2, 4}) {
                    for (boolean traj : new boolean[] {false, true}) {
                        if (traj && n == 1) {
                            continue;  // one pair is never trajectory mode (CudaMiBackend.Run)
                        }
                        for (boolean lowRank : new boolean[] {true, false}) {
                            for (long optin : optins) {
                                for (int perSm : new int[] {1, 3}) {
                                    for (boolean rowSigma : new boolean[] {false, true}) {
                                        int threads = CudaMiBackend.threadsFor(m);
                                        long cap = perSm == 3 ? 2 : Long.MAX_VALUE;
                                        LaunchPlan pl = LaunchPlan.of(n, m, esize, traj, lowRank, threads, optin, smem -> perSm, 132, 80L << 30, cap);
                                        if (lowRank && pl.smemBytes() > optin) {
                                            continue;  // m too large for this device's shared memory: the fixed part alone does not fit
                                        }
                                        simulate(pl, rowSigma ? median : fixed, rowSigma, optin);
                                        cases++;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(cases > 500, "cases " + cases);
    }

    /**
     * The backend keeps its lane buffers across calls and grows them only when a call needs more: a sequence of
     * calls of different shapes (paired and trajectory, both input types, m from 64 to 8192, few and many pairs)
     * runs every launch inside the buffers it is given, and a call the held buffers cover allocates nothing.
     */
    @Test
    void laneBuffersKeptAcrossCallsServeEveryLaterCall() {
        KernelConfig fixed = new KernelConfig(50, 1e-3, 1e-6, null);
        int[][] calls = {{4096, 128, 2, 1}, {4096, 20_000, 2, 1}, {64, 7, 4, 0}, {4096, 128, 2, 1}, {8192, 300, 4, 0},
            {512, 5, 2, 1}, {4096, 100_000, 2, 0}, {2, 3, 4, 0}, {4096, 128, 2, 1}};
        LaneSizes held = null;
        int reallocations = 0;
        for (int[] c : calls) {
            LaunchPlan pl = LaunchPlan.of(c[1], c[0], c[2], c[3] == 1, true, CudaMiBackend.threadsFor(c[0]), 232448,
                    smem -> 1, 132, 80L << 30, Long.MAX_VALUE);
            LaneSizes need = LaneSizes.of(pl);
            if (held == null || !held.covers(need)) {
                held = held == null ? need : held.union(need);
                reallocations++;
            }
            simulate(pl, fixed, false, 232448, held);
        }
        assertEquals(4, reallocations, "grow-only: the first call, then only calls that need more");
        LaneSizes a = new LaneSizes(10, false, 5, 100, 1000);
        LaneSizes b = new LaneSizes(20, true, 3, 50, 2000);
        assertTrue(a.union(b).covers(a) && a.union(b).covers(b));
        assertTrue(!a.covers(b) && !b.covers(a));
        assertTrue(b.covers(new LaneSizes(20, false, 3, 50, 2000)), "paired buffers serve trajectory calls");
        assertTrue(!new LaneSizes(20, false, 3, 50, 2000).covers(b), "trajectory buffers have no y input");
    }

    /**
     * Grouped trajectories (every captured layer of a chunk in one call): the y-factor launch factors every group's
     * row into its own slot, every batch launch reads y_group from its first pair on, and all stays inside its buffers,
     * for one to many groups, both kernel families, both input types, fixed and per-row widths.
     */
    @Test
    void groupedTrajectoryLaunchesStayInsideTheirBuffers() {
        KernelConfig fixed = new KernelConfig(50, 1e-3, 1e-6, null);
        KernelConfig median = new KernelConfig(Double.NaN, 1e-3, 1e-6, v -> 1.0);
        int cases = 0;
        for (int m : new int[] {64, 4096, 8192}) {
            for (int[] shape : new int[][] {{1, 128}, {3, 128}, {32, 128}, {80, 128}, {28, 7}, {5, 20_000}}) {
                int groups = shape[0];
                int n = groups * shape[1];
                for (int esize : new int[] {2, 4}) {
                    for (boolean lowRank : new boolean[] {true, false}) {
                        for (boolean rowSigma : new boolean[] {false, true}) {
                            LaunchPlan pl = LaunchPlan.of(n, m, esize, true, lowRank, CudaMiBackend.threadsFor(m), 232448, smem -> 1, 132,
                                    80L << 30, Long.MAX_VALUE).grouped(groups);
                            assertEquals(groups > 1, pl.isGrouped());
                            simulate(pl, rowSigma ? median : fixed, rowSigma, 232448);
                            if (lowRank && groups > 1) {
                                KernelArgs w = pl.writeY(fixed, new LaunchPlan.YFactor(1, 0, 2, 3, 4, 5, 6), 7);
                                assertEquals(groups, w.n, "one y row per group");
                                assertEquals(m, w.ldy, "y rows of stride m");
                            }
                            cases++;
                        }
                    }
                }
            }
        }
        assertEquals(144, cases);
        // one group is the plain plan, whatever the mode (every estimate() call goes through grouped(1))
        LaunchPlan paired = LaunchPlan.of(12, 64, 4, false, true, 32, 232448, smem -> 1, 132, 80L << 30, Long.MAX_VALUE);
        assertEquals(paired, paired.grouped(1));
        // a grouped batch without y_group would read slot 0 for every pair: refused before the launch
        LaunchPlan pl = LaunchPlan.of(12, 64, 4, true, true, 32, 232448, smem -> 1, 132, 80L << 30, Long.MAX_VALUE).grouped(3);
        KernelArgs b = pl.batch(fixed, 12, 10, 0, 0, 0, 20, 30, new LaunchPlan.YFactor(40, 0, 50, 60, 70, 80, 0));
        assertEquals(List.of("y_group"), LaunchPlan.missing(b, true));
    }

    @Test
    void gridShrinksToTheFreeMemoryAndChunksCoverTheGrid() {
        // 2 GiB free: two lanes of 64 x 4096 doubles per block must fit in half of it, less 256 MiB
        LaunchPlan pl = LaunchPlan.of(100_000, 4096, 2, true, true, 512, 232448, smem -> 1, 132, 2L << 30, Long.MAX_VALUE);
        long perBlock = 8L * KernelArgs.scratchDoubles(4096, 64);
        assertTrue(2L * pl.grid() * perBlock <= (1L << 30) - (256L << 20), "grid " + pl.grid());
        assertTrue(pl.chunk() >= pl.grid(), "every block has a pair");
        LaunchPlan full = LaunchPlan.of(100_000, 4096, 2, false, true, 512, 232448, smem -> 2, 132, 80L << 30, Long.MAX_VALUE);
        assertEquals(264, full.grid());
        assertEquals(4096, full.chunk());  // 32 MiB of bf16 rows
        assertEquals(4, full.smemCols());  // (227 KiB - fixed - 1 KiB) / 32 KiB, as the harness plans it
        assertEquals(0, full.ySmemCols());
        LaunchPlan small = LaunchPlan.of(3, 64, 4, false, true, 32, 232448, smem -> 4, 132, 80L << 30, Long.MAX_VALUE);
        assertEquals(3, small.grid());
        assertEquals(128, small.smemCols());  // both factors entirely in shared memory
    }

    @Test
    void aLaunchWithoutTheYFactorIsRefused() {
        LaunchPlan pl = LaunchPlan.of(5, 64, 4, true, true, 32, 232448, smem -> 1, 132, 80L << 30, Long.MAX_VALUE);
        KernelConfig cfg = new KernelConfig(50, 1e-3, 1e-6, null);
        // the first device run's bug: the y-factor launch without yB/yG/yL/y_rank
        KernelArgs a = pl.base(cfg);
        a.y = 4096;
        a.scratch = 8192;
        a.flags = KernelArgs.FLAG_WRITE_Y_FACTOR;
        assertEquals(List.of("yB", "yG", "yL", "y_rank"), LaunchPlan.missing(a, true));
        KernelArgs ok = pl.writeY(cfg, new LaunchPlan.YFactor(1, 0, 2, 3, 4, 5), 6);
        assertEquals(List.of(), LaunchPlan.missing(ok, true));
        // the first device run's second bug: cka-linear (flags ignored) launched to "factor y" read x = null
        assertEquals(List.of("x", "value", "rank_x", "rank_y", "status"), LaunchPlan.missing(ok, false));
        LaunchPlan lin = LaunchPlan.of(5, 64, 4, true, false, 32, 232448, smem -> 1, 132, 80L << 30, Long.MAX_VALUE);
        assertTrue(!lin.yFactorLaunch());
        KernelArgs b = lin.batch(cfg, 5, 10, 0, 0, 0, 20, 30, new LaunchPlan.YFactor(40, 0, 0, 0, 0, 0));
        assertEquals(List.of(), LaunchPlan.missing(b, false));
        assertEquals(0, b.flags);
    }
}
