package dev.mipeaks.pipeline;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.EstimatorRegistry;
import dev.mipeaks.mi.MiBackend;
import java.io.PrintWriter;
import java.util.Map;

/** The one place where the pipeline chooses its MI backend (so that adding the GPU backend touches one method). */
public final class MiBackends {
    private MiBackends() {
    }

    /**
     * The backend computing estimator {@code name} with {@code params} on {@code device} (auto|cpu|cuda[:N], see
     * {@code dev.mipeaks.gpu.Devices.open}: auto uses the GPU when one and the estimator's kernel are present and
     * falls back to the CPU with one printed line; an explicit cuda without a GPU is exit 3).
     */
    public static MiBackend open(String device, String name, Map<String, String> params, int threads, PrintWriter log) {
        EstimatorProvider p = EstimatorRegistry.load().get(name);
        EstimatorParams ep;
        try {
            ep = EstimatorParams.parse(name, p.parameters(), params);
        } catch (IllegalArgumentException e) {
            throw MipeaksException.invalid(e.getMessage(), e);
        }
        return dev.mipeaks.gpu.Devices.open(device == null ? "auto" : device, p, ep, threads, log);
    }
}
