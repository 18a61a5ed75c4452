package dev.mipeaks.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One spec per estimator: the registry, the parameters' defaults and the kernels' launch parameters all read it. */
class EstimatorSpecTest {

    @Test
    void providersAnswerFromTheirSpec() {
        for (EstimatorProvider p : EstimatorRegistry.load().all()) {
            EstimatorSpec s = p.spec();
            assertEquals(s.name(), p.name());
            assertEquals(s.parameters(), p.parameters());
            assertEquals(s.gpu().map(EstimatorSpec.GpuEntry::family), p.gpuKernel());
            assertEquals(s.reference(), p.isReference(), p.name());
            assertEquals(p.name().endsWith("-ref") || p.name().equals("nhsic-paper-f32"), s.reference(), p.name());
            // every declared default parses
            assertEquals(s.parameters().size(), s.defaults().values().size(), p.name());
        }
    }

    @Test
    void kernelLaunchParametersFollowTheSpecDefaultsAndGivenValues() {
        EstimatorSpec nhsic = EstimatorRegistry.load().get("nhsic").spec();
        KernelConfig d = nhsic.gpu().orElseThrow().config().apply(nhsic.defaults());
        assertEquals(50.0, d.sigma());
        assertEquals(1e-5, d.eps());
        assertEquals(1e-10 * 1e-5, d.tolFactor());
        assertNull(d.rowSigma());
        KernelConfig g = nhsic.gpu().orElseThrow().config().apply(nhsic.parse(Map.of("sigma", "median", "eps", "1e-3", "tol", "1e-8")));
        assertTrue(Double.isNaN(g.sigma()));
        assertEquals(1e-3, g.eps());
        assertEquals(1e-8 * 1e-3, g.tolFactor());
        double[] v = {0, 1, 2, 4};
        assertEquals(PairwiseMedian.referenceSigma(v), g.sigmaFor(v));

        EstimatorSpec hsic = EstimatorRegistry.load().get("hsic").spec();
        assertEquals(1e-13, hsic.gpu().orElseThrow().config().apply(hsic.defaults()).tolFactor());
        EstimatorSpec rbf = EstimatorRegistry.load().get("cka-rbf").spec();
        KernelConfig r = rbf.gpu().orElseThrow().config().apply(rbf.parse(Map.of("tol", "1e-9")));
        assertEquals(1e-9, r.tolFactor());
        assertEquals(1.0, r.sigmaFor(new double[] {3, 3, 3}));  // a constant vector: any width
    }

    @Test
    void unknownEstimatorsAndParametersAreInvalidInputNamingThem() {
        MipeaksException e = assertThrows(MipeaksException.class, () -> EstimatorRegistry.load().get("nhsic2"));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("unknown estimator 'nhsic2'") && e.getMessage().contains("nhsic"), e.getMessage());
        MipeaksException p = assertThrows(MipeaksException.class,
                () -> EstimatorRegistry.load().create("hsic", Map.of("eps", "1e-5")));
        assertTrue(p.getMessage().contains("estimator 'hsic' has no parameter 'eps'"), p.getMessage());
    }
}
