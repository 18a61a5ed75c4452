package dev.mipeaks.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.SharedData;
import dev.mipeaks.io.Matrix;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.mi.CpuMiBackend;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.EstimatorRegistry;
import dev.mipeaks.mi.MiBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On a GPU: every kernel against the CPU engine on the parity rows (f32, bf16, paired, trajectory). */
class GpuBackendTest {

    @Test
    void kernelsMatchTheCpuEngine() {
        GpuTestSupport.requireKernels();
        GpuTestSupport.requireDevice();
        Path dir = SharedData.require("parity");
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("mi_pairs.safetensors"))) {
            for (DeviceCheck.Variant v : DeviceCheck.VARIANTS) {
                EstimatorProvider p = EstimatorRegistry.load().get(v.estimator());
                var ep = dev.mipeaks.mi.EstimatorParams.parse(p.name(), p.parameters(), v.params());
                try (MiBackend gpu = Devices.open("cuda", p, ep, 1, new PrintWriter(new StringWriter()));
                     CpuMiBackend cpu = new CpuMiBackend(p.create(ep), 1)) {
                    assertTrue(gpu instanceof CudaMiBackend, gpu.describe());
                    for (String t : new String[] {"m64", "m512", "m4096"}) {
                        for (boolean bf : new boolean[] {false, true}) {
                            Matrix x = bf ? DeviceCheck.toBf16(f.matrix(t + ".x")) : f.matrix(t + ".x");
                            Matrix y = bf ? DeviceCheck.toBf16(f.matrix(t + ".y")) : f.matrix(t + ".y");
                            for (Matrix yy : new Matrix[] {y, DeviceCheck.firstRow(y)}) {
                                Estimate[] g = gpu.estimate(x, yy);
                                Estimate[] c = cpu.estimate(x, yy);
                                assertEquals(c.length, g.length);
                                for (int r = 0; r < g.length; r++) {
                                    double err = Math.abs(g[r].value() - c[r].value());
                                    assertTrue(err <= 1e-9 * Math.abs(c[r].value()) || err <= 1e-15, v.field() + " " + t
                                            + (bf ? " bf16" : "") + (yy.rows() == 1 ? " traj" : "") + " row " + r
                                            + ": gpu " + g[r].value() + " cpu " + c[r].value());
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void rejectsNonFiniteInputNamingTheRow() {
        GpuTestSupport.requireKernels();
        GpuTestSupport.requireDevice();
        EstimatorProvider p = EstimatorRegistry.load().get("nhsic");
        var ep = dev.mipeaks.mi.EstimatorParams.parse(p.name(), p.parameters(), Map.of());
        double[][] xs = new double[3][64];
        double[][] ys = new double[3][64];
        for (int i = 0; i < 64; i++) {
            for (int r = 0; r < 3; r++) {
                xs[r][i] = Math.sin(i + r);
                ys[r][i] = Math.cos(i * r);
            }
        }
        xs[2][5] = Double.NaN;
        try (MiBackend gpu = Devices.open("cuda", p, ep, 1, null)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.mipeaks.MipeaksException.class,
                    () -> gpu.estimate(Matrix.of("t: tensor 'x'", xs), Matrix.of("t: tensor 'y'", ys)));
            assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("column 5"), e.getMessage());
        }
    }
}
