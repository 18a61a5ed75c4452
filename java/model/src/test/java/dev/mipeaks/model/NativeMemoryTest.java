package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import dev.mipeaks.TestMath;
import dev.mipeaks.io.DType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long decode loop must not accumulate native memory: every step's tensors die with its PointerScope.
 * The vocabulary is large (65536: 256 KiB of logits per step) so that a step's tensors left to the garbage
 * collector instead of being freed at once would add ~20 MiB per window of 80 steps (no System.gc() here: an 8B
 * model's steps would pile up gigabytes between collections).
 *
 * <p>What is measured, and why: the process's resident memory (what this test once bounded) also holds the Java
 * heap, which the collector commits and touches as it resizes, the JIT's code cache, and freed memory glibc keeps
 * for reuse; on a busy machine these once added 83 MiB within 200 steps, while 2,000 steps on their own stay
 * within 1 MiB (bench/RESULTS.md): noise, not a leak. LibTorch's CPU tensors and JavaCPP's buffers come from
 * malloc, so the test bounds the bytes malloc has <em>handed out and not taken back</em>, over all arenas
 * (glibc's {@code mallinfo2}: blind to the Java heap and to free memory kept by malloc), after a warm-up, over
 * five windows, and bounds the <em>median</em> growth per window: a per-step leak grows every window by the same
 * amount, a one-off jump (the collector's own tables, a JIT compilation) lands in one. Where mallinfo2 is missing
 * (not glibc 2.33+), resident memory outside the Java heap and code cache stands in. {@link #aPerStepLeakIsCaught}
 * checks that the measure flags a leak of 256 KiB per step; leaking each step's logits tensor from
 * DecodeSession into a native vector (no Java pointer kept, so the pointer count cannot see it) was caught the
 * same way (20 MiB per window, bench/RESULTS.md).
 */
class NativeMemoryTest {
    static final int WARM_UP = 100;
    static final int WINDOW = 80;
    static final int WINDOWS = 5;
    /** 8 MiB per 80 steps: ~100 KiB per step; a leaked logits row (256 KiB) per step is 20 MiB. */
    static final long MAX_MEDIAN_GROWTH = 8L << 20;

    @TempDir
    Path tmp;

    /** glibc's mallinfo2 (2.33+): size_t fields, summed over all arenas. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }

    interface Malloc extends Library {
        MallInfo2 mallinfo2();
    }

    /** The C library, when it has mallinfo2; else null. */
    static final Malloc MALLOC = loadMalloc();

    private static Malloc loadMalloc() {
        try {
            Malloc m = Native.load("c", Malloc.class);
            m.mallinfo2();
            return m;
        } catch (LinkageError | RuntimeException e) {
            System.out.println("no mallinfo2 (" + e.getMessage() + "): measuring resident memory outside the Java heap");
            return null;
        }
    }

    /**
     * Native memory in use, sampled at window boundaries: malloc's bytes in use (arenas + mmapped chunks), or
     * without mallinfo2 the resident memory outside the Java heap and the JVM's non-heap pools; the growth per
     * window and its median.
     */
    static final class NativeGrowth {
        private final List<Long> samples = new ArrayList<>();
        private final List<Long> rss = new ArrayList<>();

        void sample() {
            long process = Pointer.physicalBytes();
            rss.add(process);
            if (MALLOC != null) {
                MallInfo2 mi = MALLOC.mallinfo2();
                samples.add(mi.uordblks + mi.hblkhd);
            } else {
                MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
                samples.add(process - mx.getHeapMemoryUsage().getCommitted()
                        - mx.getNonHeapMemoryUsage().getCommitted());
            }
        }

        long[] growth() {
            long[] g = new long[samples.size() - 1];
            for (int i = 0; i < g.length; i++) {
                g[i] = samples.get(i + 1) - samples.get(i);
            }
            return g;
        }

        long medianGrowth() {
            long[] g = growth();
            Arrays.sort(g);
            return g.length % 2 == 1 ? g[g.length / 2] : (g[g.length / 2 - 1] + g[g.length / 2]) / 2;
        }

        @Override
        public String toString() {
            return (MALLOC != null ? "malloc'd bytes in use" : "resident memory outside the Java heap")
                    + ", growth per window " + Arrays.toString(Arrays.stream(growth()).map(b -> b >> 10).toArray())
                    + " KiB (median " + (medianGrowth() >> 10) + " KiB); process resident (for context) "
                    + rss.stream().map(b -> Long.toString(b >> 20)).toList() + " MiB";
        }
    }

    /** Whether step {@code t} (0-based, done) ends a window: samples at WARM_UP, WARM_UP + WINDOW, ... */
    static boolean windowEnd(int t) {
        int after = t + 1 - WARM_UP;
        return after >= 0 && after % WINDOW == 0 && after / WINDOW <= WINDOWS;
    }

    static int steps() {
        return WARM_UP + WINDOW * WINDOWS;
    }

    @Test
    void decodeLoopDoesNotLeak() throws Exception {
        Path dir = tmp.resolve("m");
        RandomCheckpoint.write(dir, new RandomCheckpoint.Shape(128, 512, 2, 4, 2, 65536), DType.F32, 1);
        int steps = steps();
        NativeGrowth growth = new NativeGrowth();
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults());
             DecodeSession s = new DecodeSession(m, 1, steps + 8)) {
            int[] layers = {0, 1};
            DecodeSession.Output out = s.prefill(new int[][] {{10, 20, 30}}, layers, l -> -1);
            long countAtWarmUp = 0;
            long maxCount = 0;
            long bytesAtWarmUp = 0;
            for (int t = 0; t < steps; t++) {
                int next = TestMath.argmax(out.logits()[0]);
                int recycle = t % 7 == 3 ? 1 : -1; // the recycling path too
                out = s.decode(new int[] {next}, layers, l -> recycle);
                if (t + 1 == WARM_UP) {
                    countAtWarmUp = Pointer.totalCount();
                    bytesAtWarmUp = Pointer.totalBytes();
                } else if (t + 1 > WARM_UP) {
                    maxCount = Math.max(maxCount, Pointer.totalCount());
                }
                if (windowEnd(t)) {
                    growth.sample();
                }
            }
            long bytesAtEnd = Pointer.totalBytes();
            System.out.printf("JavaCPP: %d bytes and %d pointers after the warm-up, %d bytes and at most %d pointers"
                    + " later; %s%n", bytesAtWarmUp, countAtWarmUp, bytesAtEnd, maxCount, growth);
            // every pointer a step creates is freed when its scope closes, not left to the garbage collector
            assertTrue(maxCount <= countAtWarmUp, "pointers outlive their step: " + countAtWarmUp + " -> " + maxCount);
            assertTrue(bytesAtEnd <= bytesAtWarmUp + (64 << 10), "JavaCPP bytes grew: " + bytesAtWarmUp + " -> "
                    + bytesAtEnd);
            assertTrue(growth.medianGrowth() < MAX_MEDIAN_GROWTH, "native memory grows with the steps: " + growth);
        }
    }

    /** The measure above flags a leak of 256 KiB per step (allocated and touched, never freed during the loop). */
    @Test
    void aPerStepLeakIsCaught() {
        NativeGrowth growth = new NativeGrowth();
        List<Pointer> leaked = new ArrayList<>();
        long size = 256 << 10;
        try {
            for (int t = 0; t < steps(); t++) {
                Pointer p = Pointer.malloc(size);
                Pointer.memset(p, 1, size);
                leaked.add(p);
                if (windowEnd(t)) {
                    growth.sample();
                }
            }
        } finally {
            leaked.forEach(Pointer::free);
        }
        System.out.println("deliberate leak of 256 KiB per step: " + growth);
        assertTrue(growth.medianGrowth() >= MAX_MEDIAN_GROWTH, "the leak went unseen: " + growth);
    }
}
