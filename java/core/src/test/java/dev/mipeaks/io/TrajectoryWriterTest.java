package dev.mipeaks.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrajectoryWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesRowsStepByStepAndCleansUp() throws Exception {
        Path out = tmp.resolve("run").resolve("t.safetensors");
        int steps = 1000;
        int h = 33;
        try (TrajectoryWriter w = new TrajectoryWriter(out, new int[] {3, 0}, h, DType.F32)) {
            w.metadata("model", "/m");
            for (int t = 0; t < steps; t++) {
                float[] a = new float[h];
                float[] b = new float[h];
                for (int i = 0; i < h; i++) {
                    a[i] = t * 1000 + i;
                    b[i] = -(t * 1000 + i);
                }
                w.append(t % 7, new float[][] {a, b});
            }
            w.finish("eos");
        }
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertArrayEquals(new long[] {steps}, f.info("token_ids").shape());
            assertArrayEquals(new long[] {steps, h}, f.info("hidden.3").shape());
            float[] l3 = f.floats("hidden.3");
            float[] l0 = f.floats("hidden.0");
            assertEquals(999 * 1000 + 32, l3[999 * h + 32]);
            assertEquals(-(5 * 1000 + 1), l0[5 * h + 1]);
            assertEquals(999 % 7, f.longs("token_ids")[999]);
            assertEquals("eos", f.metadata().get("stop_reason"));
            assertEquals("[3,0]", f.metadata().get("layers"));
            assertEquals("/m", f.metadata().get("model"));
            assertEquals(TrajectoryWriter.FORMAT, f.metadata().get("format"));
            assertEquals("1000", f.metadata().get("steps"));
        }
        try (var files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "spill files removed");
        }
    }

    @Test
    void bf16RowsAndZeroSteps() throws Exception {
        Path out = tmp.resolve("b.safetensors");
        try (TrajectoryWriter w = new TrajectoryWriter(out, new int[] {1}, 4, DType.BF16)) {
            w.append(9, new float[][] {{1f, 1.00390625f, 1.01171875f, -3.5f}});
            w.finish("max_new_tokens");
        }
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertEquals(DType.BF16, f.info("hidden.1").dtype());
            // round to nearest even: 1 + 2^-8 ties to 1, 1 + 3*2^-8 rounds to 1 + 2^-6
            assertArrayEquals(new float[] {1f, 1f, 1.015625f, -3.5f}, f.floats("hidden.1"));
        }
        Path empty = tmp.resolve("e.safetensors");
        try (TrajectoryWriter w = new TrajectoryWriter(empty, new int[] {0}, 4, DType.F32)) {
            w.finish("eos");
        }
        try (SafetensorsFile f = SafetensorsFile.open(empty)) {
            assertArrayEquals(new long[] {0, 4}, f.info("hidden.0").shape());
        }
    }

    @Test
    void closeWithoutFinishLeavesNothing() throws Exception {
        Path out = tmp.resolve("x.safetensors");
        try (TrajectoryWriter w = new TrajectoryWriter(out, new int[] {0, 1}, 8, DType.F32)) {
            w.append(1, new float[][] {new float[8], new float[8]});
            assertThrows(IllegalArgumentException.class, () -> w.append(1, new float[][] {new float[7], new float[8]}));
        }
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList());
        }
        assertFalse(Files.exists(out));
    }

    private static List<String> hiddenFiles(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void theExitHookDeletesTheSpillsOfAnOpenWriter() throws Exception {
        Path out = tmp.resolve("h.safetensors");
        try (TrajectoryWriter w = new TrajectoryWriter(out, new int[] {0, 1}, 4, DType.F32)) {
            w.append(1, new float[][] {new float[4], new float[4]});
            List<String> spills = hiddenFiles(tmp);
            assertEquals(2, spills.size(), spills.toString());
            assertTrue(spills.stream().allMatch(n -> n.contains("." + TempFiles.pidTag() + ".")), spills.toString());
            assertTrue(TempFiles.live().containsAll(List.of(tmp.resolve(spills.get(0)).toAbsolutePath())));
            TempFiles.deleteAll(); // what the JVM's shutdown hook runs on Ctrl-C
            assertEquals(List.of(), hiddenFiles(tmp));
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void spillsAKilledProcessLeftAreDeletedByTheNextWriter() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            Path out = tmp.resolve("k.safetensors");
            String dead = ".k.safetensors.hidden3.pid" + done.pid() + ".123.spill";
            String live = ".k.safetensors.hidden3.pid" + alive.pid() + ".456.spill";
            String other = ".other.safetensors.hidden3.pid" + done.pid() + ".789.spill";
            for (String n : List.of(dead, live, other)) {
                Files.writeString(tmp.resolve(n), "x");
            }
            try (TrajectoryWriter w = new TrajectoryWriter(out, new int[] {3}, 4, DType.F32)) {
                w.finish("eos");
            }
            assertEquals(List.of(live, other).stream().sorted().toList(), hiddenFiles(tmp),
                    "a dead process's spills of this output are gone; a running one's and another output's stay");
        } finally {
            alive.destroy();
        }
    }
}
