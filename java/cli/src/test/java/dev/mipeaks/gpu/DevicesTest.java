package dev.mipeaks.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.cli.Main;
import dev.mipeaks.mi.CpuMiBackend;
import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.EstimatorRegistry;
import dev.mipeaks.mi.MiBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevicesTest {
    static EstimatorProvider nhsic() {
        return EstimatorRegistry.load().get("nhsic");
    }

    static EstimatorParams defaults(EstimatorProvider p) {
        return EstimatorParams.parse(p.name(), p.parameters(), Map.of());
    }

    @Test
    void parsesTheSelector() {
        assertEquals(new Devices.Spec("auto", 0), Devices.parse("auto"));
        assertEquals(new Devices.Spec("cpu", 0), Devices.parse("CPU"));
        assertEquals(new Devices.Spec("cuda", 0), Devices.parse("cuda"));
        assertEquals(new Devices.Spec("cuda", 3), Devices.parse("cuda:3"));
        for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", ""}) {
            MipeaksException e = assertThrows(MipeaksException.class, () -> Devices.parse(bad));
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains("--device"), e.getMessage());
        }
    }

    @Test
    void cpuIsCpu() {
        EstimatorProvider p = nhsic();
        try (MiBackend b = Devices.open("cpu", p, defaults(p), 1, null)) {
            assertTrue(b instanceof CpuMiBackend, b.describe());
        }
    }

    @Test
    void withoutGpuAutoFallsBackAndCudaIsExit3() {
        String reason = GpuTestSupport.noDeviceReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(reason != null, "a CUDA device is present: covered by GpuBackendTest");
        EstimatorProvider p = nhsic();
        Devices.forgetProbe();  // another test in this JVM may have probed already
        StringWriter log = new StringWriter();
        try (MiBackend b = Devices.open("auto", p, defaults(p), 1, new PrintWriter(log, true))) {
            assertTrue(b instanceof CpuMiBackend, b.describe());
        }
        try (MiBackend b = Devices.open("auto", p, defaults(p), 1, new PrintWriter(log, true))) {
            assertTrue(b instanceof CpuMiBackend, b.describe());
        }
        assertEquals(1, log.toString().lines().count(), "one fallback line per process, got: " + log);
        assertTrue(log.toString().contains("MI on the CPU") && !log.toString().contains("Exception"), log.toString());
        MipeaksException e = assertThrows(MipeaksException.class, () -> Devices.open("cuda", p, defaults(p), 1, null));
        assertEquals(ExitCode.DEVICE_UNAVAILABLE, e.exitCode());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void theFallbackNoticeIsOneQuietLineWithTheReasonOnlyOnDebug() {
        String why = "no CUDA device: UnsatisfiedLinkError: Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"";
        assertEquals("mipeaks: no GPU found, MI on the CPU", Devices.fallbackNotice(why, false));
        String dbg = Devices.fallbackNotice(why, true);
        assertTrue(dbg.startsWith("mipeaks: no GPU found, MI on the CPU (") && dbg.contains("UnsatisfiedLinkError"), dbg);
        assertEquals("mipeaks: GPU kernels not built, MI on the CPU",
                Devices.fallbackNotice("kernels not built (no kernels.list on the classpath)", false));
    }

    @Test
    void theCliPrintsTheQuietLineAndTheReasonWithDebug(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String reason = GpuTestSupport.noDeviceReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(reason != null, "a CUDA device is present: no fallback to show");
        java.nio.file.Path f = dir.resolve("p.safetensors");
        new dev.mipeaks.io.SafetensorsWriter()
                .addF32("x", new long[] {2, 4}, new float[] {1, 2, 3, 4, 4, 3, 2, 1})
                .addF32("y", new long[] {1, 4}, new float[] {1, 2, 3, 5})
                .write(f);
        for (boolean debug : new boolean[] {false, true}) {
            Devices.forgetProbe();
            StringWriter err = new StringWriter();
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("estimate", "--pairs", f.toString(),
                    "--x", "x", "--y", "y", "--device", "auto", "--quiet"));
            if (debug) {
                args.add("--debug");
            }
            int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args.toArray(new String[0]));
            assertEquals(0, code, err.toString());
            java.util.List<String> notice = err.toString().lines().filter(l -> l.contains("on the CPU")).toList();
            assertEquals(1, notice.size(), err.toString());
            if (debug) {
                assertTrue(notice.get(0).contains(" ("), notice.get(0));
            } else {
                assertTrue(notice.get(0).equals("mipeaks: no GPU found, MI on the CPU")
                        || notice.get(0).equals("mipeaks: GPU kernels not built, MI on the CPU"), notice.get(0));
            }
        }
        dev.mipeaks.Diagnostics.setDebug(false);
    }

    @Test
    void gpuInfoRunsWithoutAGpu() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "gpu-info");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("kernels: "), out.toString());
        assertTrue(out.toString().contains("device: "), out.toString());
        if (GpuTestSupport.noDeviceReason() != null) {
            int strict = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "gpu-info", "--require");
            assertEquals(ExitCode.DEVICE_UNAVAILABLE.code(), strict, err.toString());
        }
    }
}
