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
