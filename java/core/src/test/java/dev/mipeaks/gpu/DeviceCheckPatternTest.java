package dev.mipeaks.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.io.Matrix;
import dev.mipeaks.mi.CpuMiBackend;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorRegistry;
import dev.mipeaks.mi.MiBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The device check's pipeline-pattern step (scripts/device-check.sh step 4) on the CPU engine: it prints the rate and
 * the ratio to the trajectory rate, and fails when all layers in one call differ from one call per layer.
 */
class DeviceCheckPatternTest {
    static final int M = 64;

    @Test
    void thePatternStepReportsTheRatioAndChecksTheValues() {
        int n = DeviceCheck.PATTERN_LAYERS * DeviceCheck.PATTERN_CHUNK;
        Matrix x = DeviceCheck.hiddenLike("x", n, M, 1);
        Matrix y = DeviceCheck.hiddenLike("y", DeviceCheck.PATTERN_LAYERS, M, 2);
        try (CpuMiBackend cpu = new CpuMiBackend(EstimatorRegistry.load().create("nhsic", Map.of()), 2)) {
            StringWriter sw = new StringWriter();
            assertEquals(0, DeviceCheck.pipelinePattern(cpu, x, y, 1000.0, "test rate", 1, new PrintWriter(sw, true)), sw.toString());
            String out = sw.toString();
            assertTrue(out.contains("all 32 layers of a 128-step chunk per call") && out.contains("bit for bit those of one call per layer: yes"), out);
            assertTrue(out.contains("pipeline pattern / test rate: ") && out.contains("(target >= 80%: "), out);

            // a backend whose grouped call is off by one ulp in one pair is caught
            MiBackend off = new MiBackend() {
                @Override
                public String describe() {
                    return "off";
                }

                @Override
                public Estimator estimator() {
                    return cpu.estimator();
                }

                @Override
                public Estimate[] estimate(Matrix a, Matrix b, Progress progress) {
                    return cpu.estimate(a, b, progress);
                }

                @Override
                public Estimate[][] estimateTrajectories(List<Matrix> xs, List<Matrix> ys) {
                    Estimate[][] e = MiBackend.super.estimateTrajectories(xs, ys);
                    Estimate v = e[5][7];
                    e[5][7] = new Estimate(Math.nextUp(v.value()), v.rankX(), v.rankY());
                    return e;
                }
            };
            StringWriter bad = new StringWriter();
            assertEquals(1, DeviceCheck.pipelinePattern(off, x, y, 1000.0, "test rate", 1, new PrintWriter(bad, true)));
            assertTrue(bad.toString().contains("MISMATCH pipeline pattern layer 5 step 7"), bad.toString());
        }
    }
}
