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
        return open(device, name, params(name, params), threads, log);
    }

    /** As {@link #open(String, String, Map, int, PrintWriter)} with parameters already checked by {@link #params}. */
    public static MiBackend open(String device, String name, EstimatorParams params, int threads, PrintWriter log) {
        EstimatorProvider p = EstimatorRegistry.load().get(name);
        return dev.mipeaks.gpu.Devices.open(device == null ? "auto" : device, p, params, threads, log);
    }

    /**
     * The parameters of estimator {@code name} (an unknown name, parameter or value is exit 2 naming it), checked
     * before anything is opened.
     */
    public static EstimatorParams params(String name, Map<String, String> params) {
        EstimatorProvider p = EstimatorRegistry.load().get(name);
        try {
            return EstimatorParams.parse(name, p.parameters(), params);
        } catch (IllegalArgumentException e) {
            throw MipeaksException.invalid(e.getMessage(), e);
        }
    }
}
