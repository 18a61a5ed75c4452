package dev.mipeaks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The MI side of the CLI must run where the LibTorch / DJL / JNA jars are absent: a child JVM with those removed
 * from the class path lists the commands and estimators, and trace fails with a one-line error.
 */
class WithoutNativeJarsTest {

    private static Result java(String... args) throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("bytedeco") && !e.contains("djl") && !e.contains("jna"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add("dev.mipeaks.cli.Main");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    record Result(int code, String out) {
    }

    @Test
    void miCommandsStartWithoutLibTorch() throws Exception {
        Result help = java("--help");
        assertEquals(0, help.code, help.out);
        assertTrue(help.out.contains("trace"), help.out);
        Result est = java("estimators");
        assertEquals(0, est.code, est.out);
        assertTrue(est.out.contains("nhsic"), est.out);
        // --model is resolved first (an existing folder here), then LibTorch is loaded
        Result trace = java("trace", "--model", System.getProperty("java.io.tmpdir"), "--prompt-ids", "1", "--out",
                "x.safetensors");
        assertEquals(1, trace.code, trace.out);
        assertTrue(trace.out.startsWith("mipeaks: error: cannot load LibTorch"), trace.out);
        assertEquals(1, trace.out.strip().lines().count(), trace.out);
    }

    /** nhsic-paper-f32 runs the reference's ops on LibTorch: without its jars, one line, no stack trace. */
    @Test
    void paperFloat32NeedsLibTorch(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path pairs = dir.resolve("p.safetensors");
        new dev.mipeaks.io.SafetensorsWriter().addF32("x", new long[] {1, 4}, new float[] {1, 2, 3, 4})
                .addF32("y", new long[] {1, 4}, new float[] {4, 3, 2, 1}).write(pairs);
        Result est = java("estimate", "--pairs", pairs.toString(), "--x", "x", "--y", "y", "--estimator",
                "nhsic-paper-f32", "--device", "cpu");
        assertEquals(1, est.code, est.out);
        assertTrue(est.out.startsWith("mipeaks: error: cannot load LibTorch"), est.out);
        assertEquals(1, est.out.strip().lines().count(), est.out);
    }
}
