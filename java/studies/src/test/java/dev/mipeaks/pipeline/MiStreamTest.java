package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mipeaks.generate.StepHook;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.Matrix;
import dev.mipeaks.mi.CpuMiBackend;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorRegistry;
import dev.mipeaks.mi.MiBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The pipeline hands the MI backend every captured layer of a chunk in one call (the GPU backend runs it as one
 * launch), and the values are exactly those of one call per layer and chunk, as before: several layer counts, chunk
 * sizes that do and do not divide the steps, both storage types.
 */
class MiStreamTest {

    /** The CPU backend, recording the calls it gets. */
    static final class Recording implements MiBackend {
        final CpuMiBackend cpu = new CpuMiBackend(EstimatorRegistry.load().create("nhsic", Map.of()), 1);
        final List<Integer> groupsPerCall = new ArrayList<>();

        @Override
        public String describe() {
            return cpu.describe();
        }

        @Override
        public Estimator estimator() {
            return cpu.estimator();
        }

        @Override
        public Estimate[][] estimateTrajectories(List<Matrix> xs, List<Matrix> ys) {
            groupsPerCall.add(xs.size());
            return MiBackend.super.estimateTrajectories(xs, ys);
        }

        @Override
        public Estimate[] estimate(Matrix x, Matrix y, Progress progress) {
            return cpu.estimate(x, y, progress);
        }
    }

    @Test
    void everyLayerOfAChunkGoesInOneCallWithThePerLayerValues() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            for (int[] layers : new int[][] {{3}, {0, 2, 5}, {0, 1, 2, 3, 4, 5, 6, 7, 8}}) {
                for (int chunk : new int[] {4, 7, 64}) {
                    for (DType dt : new DType[] {DType.F32, DType.BF16}) {
                        check(worker, layers, chunk, dt, 23);
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
    }

    private static void check(ExecutorService worker, int[] layers, int chunk, DType dt, int steps) {
        int hidden = 48;
        Random rnd = new Random(layers.length * 1000L + chunk);
        float[][] gt = new float[layers.length][hidden];
        for (float[] g : gt) {
            for (int j = 0; j < hidden; j++) {
                g[j] = (float) (rnd.nextGaussian() * 30);
            }
        }
        float[][][] states = new float[steps][layers.length][hidden];
        for (float[][] st : states) {
            for (int i = 0; i < layers.length; i++) {
                for (int j = 0; j < hidden; j++) {
                    st[i][j] = (float) (0.5 * gt[i][j] + rnd.nextGaussian() * 25);
                }
            }
        }
        Recording backend = new Recording();
        List<Long> pairs = new ArrayList<>();
        MiStream s = new MiStream(backend, worker, "t", layers, gt, dt, chunk, pairs::add);
        for (int t = 0; t < steps; t++) {
            s.onStep(new StepHook.Step(0, t, 1, -1, layers, states[t]));
        }
        double[][] mi = s.finish();
        String what = layers.length + " layers, chunk " + chunk + ", " + dt;
        int chunks = (steps + chunk - 1) / chunk;
        assertEquals(chunks, backend.groupsPerCall.size(), what + ": one call per chunk");
        backend.groupsPerCall.forEach(g -> assertEquals(layers.length, g, what + ": every layer in the call"));
        assertEquals((long) steps * layers.length, pairs.stream().mapToLong(Long::longValue).sum(), what + ": pairs reported");
        // one call per layer and chunk, as the stream made them before, on the values as stored
        CpuMiBackend plain = new CpuMiBackend(EstimatorRegistry.load().create("nhsic", Map.of()), 1);
        for (int i = 0; i < layers.length; i++) {
            Matrix y = matrix(dt, new float[][] {gt[i]});
            double[] want = new double[steps];
            for (int c = 0; c < chunks; c++) {
                int n = Math.min(chunk, steps - c * chunk);
                float[][] rows = new float[n][];
                for (int k = 0; k < n; k++) {
                    rows[k] = states[c * chunk + k][i];
                }
                Estimate[] e = plain.estimate(matrix(dt, rows), y);
                for (int k = 0; k < n; k++) {
                    want[c * chunk + k] = e[k].value();
                }
            }
            assertArrayEquals(want, mi[i], 0.0, what + ", layer " + layers[i]);
        }
    }

    private static Matrix matrix(DType dt, float[][] rows) {
        int m = rows[0].length;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(rows.length * m * dt.bytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float[] r : rows) {
            for (float v : r) {
                if (dt == DType.F32) {
                    b.putFloat(v);
                } else {
                    b.putShort(DType.bf16FromFloat(v));
                }
            }
        }
        b.flip();
        return new Matrix("m", dt, rows.length, m, b);
    }
}
