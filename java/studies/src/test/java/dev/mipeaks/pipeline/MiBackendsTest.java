package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.MiBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MiBackends}: parameters checked before anything opens, then the backend (run and estimate share it). */
class MiBackendsTest {
    @Test
    void parametersAreCheckedWithTheEstimatorsDefaults() {
        EstimatorParams p = MiBackends.params("nhsic", Map.of("sigma", "100"));
        assertEquals(dev.mipeaks.mi.Sigma.fixed(100), p.getSigma("sigma"));
        assertEquals(1e-5, p.getDouble("eps"));
        MipeaksException bad = assertThrows(MipeaksException.class, () -> MiBackends.params("nhsic", Map.of("sigma", "wide")));
        assertEquals(ExitCode.INVALID_INPUT, bad.exitCode());
        assertTrue(bad.getMessage().contains("parameter 'sigma'"), bad.getMessage());
        MipeaksException none = assertThrows(MipeaksException.class, () -> MiBackends.params("cka-linear", Map.of("eps", "1")));
        assertTrue(none.getMessage().contains("has no parameter 'eps'"), none.getMessage());
        MipeaksException unknown = assertThrows(MipeaksException.class, () -> MiBackends.params("mine", Map.of()));
        assertTrue(unknown.getMessage().contains("unknown estimator 'mine'"), unknown.getMessage());
    }

    @Test
    void checkedParametersOpenTheSameBackendAsTheirText() throws Exception {
        StringWriter log = new StringWriter();
        try (MiBackend a = MiBackends.open("cpu", "nhsic", MiBackends.params("nhsic", Map.of("sigma", "50")), 1,
                new PrintWriter(log));
             MiBackend b = MiBackends.open("cpu", "nhsic", Map.of("sigma", "50"), 1, new PrintWriter(log))) {
            assertEquals(b.describe(), a.describe());
            assertEquals("nhsic", a.estimator().name());
            assertEquals(b.estimator().parameters(), a.estimator().parameters());
        }
    }
}
