package dev.mipeaks.pipeline;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.mi.CpuMiBackend;
import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.EstimatorRegistry;
import dev.mipeaks.mi.MiBackend;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The one place where the pipeline chooses its MI backend (so that adding the GPU backend touches one method). */
public final class MiBackends {
    private MiBackends() {
    }

    /**
     * The backend computing estimator {@code name} with {@code params} on {@code device}: auto and cpu give the CPU
     * backend; cuda[:N] is exit 3 until the GPU backend ({@code dev.mipeaks.gpu.Devices.open}) is wired in here.
     */
    public static MiBackend open(String device, String name, Map<String, String> params, int threads, PrintWriter log) {
        EstimatorProvider p = EstimatorRegistry.load().get(name);
        EstimatorParams ep;
        try {
            ep = EstimatorParams.parse(name, p.parameters(), params);
        } catch (IllegalArgumentException e) {
            throw MipeaksException.invalid(e.getMessage(), e);
        }
        String d = device == null ? "auto" : device.trim().toLowerCase(Locale.ROOT);
        if (d.equals("auto") || d.equals("cpu")) {
            return new CpuMiBackend(p.create(ep), threads);
        }
        if (d.equals("cuda") || d.matches("cuda:\\d+")) {
            throw new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, "--device " + device
                    + ": GPU backend not available in this build (use --device cpu or auto)");
        }
        throw MipeaksException.invalid("--device " + device + ": expected auto, cpu, cuda or cuda:N");
    }
}
