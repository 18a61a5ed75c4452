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

    /**
     * Grouped trajectories (every captured layer of a chunk in one call) give bit for bit the values of one call per
     * layer, for every GPU estimator, f32 and bf16, ragged groups; mixed shapes fall back to one call per group.
     */
    @Test
    void groupedTrajectoriesAreBitIdenticalToOneCallPerGroup() {
        GpuTestSupport.requireKernels();
        GpuTestSupport.requireDevice();
        int m = 512;
        int[] sizes = {128, 128, 37, 2, 128, 90};
        int n = java.util.Arrays.stream(sizes).sum();
        Matrix x = DeviceCheck.hiddenLike("x", n, m, 3);
        Matrix y = DeviceCheck.hiddenLike("y", sizes.length, m, 4);
        for (DeviceCheck.Variant v : DeviceCheck.VARIANTS) {
            EstimatorProvider p = EstimatorRegistry.load().get(v.estimator());
            var ep = p.spec().parse(v.params());
            try (MiBackend gpu = Devices.open("cuda", p, ep, 1, null)) {
                for (boolean f32 : new boolean[] {false, true}) {
                    java.util.List<Matrix> xs = new java.util.ArrayList<>();
                    java.util.List<Matrix> ys = new java.util.ArrayList<>();
                    int at = 0;
                    for (int g = 0; g < sizes.length; g++) {
                        Matrix xg = DeviceCheck.rows(x, at, sizes[g], "group " + g);
                        Matrix yg = DeviceCheck.rows(y, g, 1, "group " + g);
                        xs.add(f32 ? toF32(xg) : xg);
                        ys.add(f32 ? toF32(yg) : yg);
                        at += sizes[g];
                    }
                    Estimate[][] all = gpu.estimateTrajectories(xs, ys);
                    for (int g = 0; g < sizes.length; g++) {
                        Estimate[] one = gpu.estimate(xs.get(g), ys.get(g));
                        for (int r = 0; r < sizes[g]; r++) {
                            assertEquals(Double.doubleToRawLongBits(one[r].value()), Double.doubleToRawLongBits(all[g][r].value()),
                                    v.field() + (f32 ? " f32" : " bf16") + " group " + g + " row " + r);
                            assertEquals(one[r].rankX(), all[g][r].rankX());
                            assertEquals(one[r].rankY(), all[g][r].rankY());
                        }
                    }
                }
            }
        }
    }

    /** The same values as an F32 matrix (bf16 values are exact in float). */
    private static Matrix toF32(Matrix a) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(a.rows() * a.cols() * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < a.rows(); r++) {
            for (double v : a.row(r)) {
                b.putFloat((float) v);
            }
        }
        b.flip();
        return new Matrix(a.where(), dev.mipeaks.io.DType.F32, a.rows(), a.cols(), b);
    }
}
