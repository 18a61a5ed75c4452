package dev.mipeaks.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUDA kernels' own code on CPU threads (native/mipeaks_emu.cpp with native/cuda_emu.h) against the float64
 * reference: every estimator, f32/bf16, row-paired and trajectory mode, columns in shared/global memory, the _x16
 * entry points, rank overflow, NaN rows. Runs where there is no GPU, for the shipped kernels and for every numbered
 * variant in kernels/dev/ (built in place of kernels/nhsic.cu), so a variant reaches a GPU session already correct.
 * Needs g++ (skips with a printed reason otherwise); about 10 s per build.
 */
class EmulatedKernelsTest {

    /** "" (the shipped kernels) and -DMP_NHSIC_CU=... for every kernels/dev/nhsic_*.cu. */
    static List<String> builds() throws IOException {
        List<String> out = new ArrayList<>(List.of(""));
        Path dev = LaunchPlanTest.KERNELS.resolve("dev");
        try (var files = Files.list(dev)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("nhsic_") && n.endsWith(".cu")).sorted()
                    .forEach(n -> out.add("-DMP_NHSIC_CU=\"../kernels/dev/" + n + "\""));
        }
        return out;
    }

    @ParameterizedTest(name = "nhsic build [{0}]")
    @MethodSource("builds")
    void kernelsMatchTheReference(String switches) throws Exception {
        Path dir = Files.createTempDirectory("mipeaks-emu");
        Path exe = dir.resolve("mipeaks_emu");
        Path kernels = LaunchPlanTest.KERNELS.toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of("g++", "-O1", "-std=c++20", "-I" + kernels));
        for (String s : switches.split(" ")) {
            if (!s.isBlank()) {
                cmd.add(s);
            }
        }
        cmd.addAll(List.of(kernels.resolveSibling("native").resolve("mipeaks_emu.cpp").toString(), "-o", exe.toString()));
        Process cc;
        try {
            cc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("SKIP EmulatedKernelsTest: no g++ (" + e.getMessage() + ")");
            Assumptions.assumeTrue(false, "no g++");
            return;
        }
        String ccLog = new String(cc.getInputStream().readAllBytes());
        assertTrue(cc.waitFor(300, TimeUnit.SECONDS), "g++ timed out");
        assertTrue(cc.exitValue() == 0, "g++ " + switches + " failed:\n" + ccLog);
        Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();  // all cases, m = 4096 too
        String out = new String(run.getInputStream().readAllBytes());
        assertTrue(run.waitFor(600, TimeUnit.SECONDS), "emulator timed out");
        List<String> failures = out.lines().filter(l -> l.startsWith("FAIL") || l.contains("MISMATCH")).limit(10).toList();
        assertTrue(run.exitValue() == 0 && failures.isEmpty() && out.contains("passed"),
                "emulated kernels [" + switches + "] failed (exit " + run.exitValue() + "):\n" + String.join("\n", failures)
                        + "\n" + out.lines().reduce((a, b) -> b).orElse(""));
        System.out.println("emulated kernels [" + (switches.isEmpty() ? "shipped" : switches) + "]: "
                + out.lines().filter(l -> l.startsWith("emulated")).findFirst().orElse(""));
    }
}
