package dev.mipeaks.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.SharedData;
import dev.mipeaks.io.Matrix;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.EstimatorRegistry;
import dev.mipeaks.mi.EstimatorSpec;
import dev.mipeaks.mi.FactorPair;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The kernels' float64 host twin (same pivot rule, stop rule, centring and solves as kernels/lowrank.cuh) against the
 * CPU engine on the shared parity rows: the bindings resolve the registry parameters the way the CPU engine does.
 */
class ReferenceEstimatorTest {

    @Test
    void hostTwinMatchesTheCpuEngine() {
        Path dir = SharedData.require("parity");
        int compared = 0;
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("mi_pairs.safetensors"))) {
            for (DeviceCheck.Variant v : DeviceCheck.VARIANTS) {
                EstimatorProvider p = EstimatorRegistry.load().get(v.estimator());
                EstimatorParams ep = EstimatorParams.parse(p.name(), p.parameters(), v.params());
                Estimator cpu = p.create(ep);
                KernelBinding b = Devices.binding(p).orElseThrow();
                ReferenceEstimator twin = new ReferenceEstimator(b, b.config(ep));
                for (String t : new String[] {"m64", "m512"}) {
                    Matrix x = f.matrix(t + ".x");
                    Matrix y = f.matrix(t + ".y");
                    for (int r = 0; r < x.rows(); r++) {
                        Estimate want = cpu.estimate(x.row(r), y.row(r));
                        Estimate got = twin.estimate(x.row(r), y.row(r));
                        double err = Math.abs(got.value() - want.value());
                        assertTrue(err <= 1e-9 * Math.abs(want.value()) || err <= 1e-15,
                                v.field() + " " + t + "[" + r + "]: twin " + got.value() + " cpu " + want.value());
                        if (want.rankX() >= 0) {
                            assertTrue(Math.abs(got.rankX() - want.rankX()) <= 1, v.field() + " rank " + got.rankX() + " vs " + want.rankX());
                        }
                        compared++;
                    }
                }
            }
        }
        assertEquals(6 * 15, compared);
    }

    @Test
    void constantVectorsGiveZeroNotNaN() {
        double[] c = new double[64];
        java.util.Arrays.fill(c, 3.5);
        double[] v = new double[64];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i);
        }
        for (KernelBinding b : KernelBindings.all().values()) {
            ReferenceEstimator twin = new ReferenceEstimator(b, b.config(EstimatorRegistry.load().get(b.estimator()).spec().defaults()));
            assertEquals(0.0, twin.estimate(c, v).value(), b.estimator());
            assertEquals(0.0, twin.estimate(v, c).value(), b.estimator());
        }
    }

    /**
     * The twin finishes a pair with what the estimator's spec declares, whatever its name: an estimator unknown to the
     * gpu package (here hsic times two on hsic's kernels) gets its own value, never another estimator's.
     */
    @Test
    void theValueIsTheSpecsNotAChoiceByName() {
        EstimatorSpec hsic = EstimatorRegistry.load().get("hsic").spec();
        EstimatorSpec.GpuEntry h = hsic.gpu().orElseThrow();
        EstimatorSpec doubled = EstimatorSpec.of("hsic-doubled", "test", hsic.parameters())
                .withGpu(new EstimatorSpec.GpuEntry(h.family(), true, h.config(),
                        f -> 2 * FactorPair.sumSq(f.cross()) / ((double) f.m() * f.m())));
        KernelBinding plain = KernelBinding.of(hsic).orElseThrow();
        KernelBinding twice = KernelBinding.of(doubled).orElseThrow();
        double[] x = new double[96];
        double[] y = new double[96];
        for (int i = 0; i < x.length; i++) {
            x[i] = 40 * Math.sin(0.3 * i);
            y[i] = 35 * Math.cos(0.2 * i) + i;
        }
        double want = new ReferenceEstimator(plain, plain.config(hsic.defaults())).estimate(x, y).value();
        double got = new ReferenceEstimator(twice, twice.config(doubled.defaults())).estimate(x, y).value();
        assertTrue(want > 0, "hsic " + want);
        assertEquals(2 * want, got, 0.0);
        assertTrue(KernelBinding.of(EstimatorRegistry.load().get("nhsic-ref").spec()).isEmpty(), "a CPU-only estimator has no binding");
        assertTrue(KernelBindings.forEstimator("no-such-estimator").isEmpty());
    }
}
