package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.io.DType;
import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long decode loop must not accumulate native memory: every step's tensors die with its PointerScope.
 * The vocabulary is large (65536: 256 KiB of logits per step, allocated with mmap) so that a step's tensors left to
 * the garbage collector instead of being freed at once would show as tens of MiB over the measured window (no
 * System.gc() here: an 8B model's steps would pile up gigabytes between collections).
 */
class NativeMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void decodeLoopDoesNotLeak() throws Exception {
        Path dir = tmp.resolve("m");
        RandomCheckpoint.write(dir, new RandomCheckpoint.Shape(128, 512, 2, 4, 2, 65536), DType.F32, 1);
        int steps = 500;
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.defaults());
             DecodeSession s = new DecodeSession(m, 1, steps + 8)) {
            int[] layers = {0, 1};
            DecodeSession.Output out = s.prefill(new int[][] {{10, 20, 30}}, layers, l -> -1);
            long[] total = new long[3];
            long countAt100 = 0;
            long maxCount = 0;
            long[] phys = new long[3];
            for (int t = 0; t < steps; t++) {
                int next = LlamaModelGoldenTest.argmax(out.logits()[0]);
                int recycle = t % 7 == 3 ? 1 : -1; // the recycling path too
                out = s.decode(new int[] {next}, layers, l -> recycle);
                if (t == 100) {
                    countAt100 = Pointer.totalCount();
                }
                if (t > 100) {
                    maxCount = Math.max(maxCount, Pointer.totalCount());
                }
                int mark = t == 100 ? 0 : t == 300 ? 1 : t == steps - 1 ? 2 : -1;
                if (mark >= 0) {
                    total[mark] = Pointer.totalBytes();
                    phys[mark] = Pointer.physicalBytes();
                }
            }
            System.out.printf("native memory at steps 100/300/%d: JavaCPP %d/%d/%d bytes, process %d/%d/%d MiB%n",
                    steps, total[0], total[1], total[2], phys[0] >> 20, phys[1] >> 20, phys[2] >> 20);
            System.out.printf("live JavaCPP pointers: %d after step 100, at most %d later%n", countAt100, maxCount);
            // every pointer a step creates is freed when its scope closes, not left to the garbage collector
            assertTrue(maxCount <= countAt100, "pointers outlive their step: " + countAt100 + " -> " + maxCount);
            assertTrue(total[2] <= total[0] + (64 << 10), "JavaCPP bytes grew");
            // 200 steps between marks: logits rows left behind would add ~50 MiB
            assertTrue(phys[2] - phys[1] < (32L << 20), "process memory grew by " + ((phys[2] - phys[1]) >> 20)
                    + " MiB over 200 steps");
        }
    }
}
