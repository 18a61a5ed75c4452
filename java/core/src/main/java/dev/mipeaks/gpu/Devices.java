package dev.mipeaks.gpu;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.mi.CpuMiBackend;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.MiBackend;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * The {@code --device auto|cpu|cuda[:N]} selector. {@code auto} probes the GPU once per process and falls back to
 * the CPU with one printed line; an explicit {@code cuda} that cannot be served is exit code 3.
 */
public final class Devices {
    private static volatile String autoFailure;  // null: not probed or fine

    private Devices() {
    }

    /** Forgets the auto probe (tests: the next auto open probes again and prints its line). */
    static void forgetProbe() {
        autoFailure = null;
    }

    /** Parsed --device value: kind "auto", "cpu" or "cuda", and the CUDA device index. */
    public record Spec(String kind, int index) {
    }

    public static Spec parse(String device) {
        String d = device == null ? "auto" : device.trim().toLowerCase(java.util.Locale.ROOT);
        if (d.equals("auto") || d.equals("cpu") || d.equals("cuda")) {
            return new Spec(d, 0);
        }
        if (d.startsWith("cuda:")) {
            try {
                int i = Integer.parseInt(d.substring(5));
                if (i >= 0) {
                    return new Spec("cuda", i);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw MipeaksException.invalid("--device: expected auto, cpu, cuda or cuda:N, got '" + device + "'");
    }

    /** The binding for a provider: the GPU entry family its spec declares. */
    static Optional<KernelBinding> binding(EstimatorProvider p) {
        return KernelBinding.of(p.spec());
    }

    /**
     * The backend for {@code device}. {@code threads} is the CPU thread count (for the CPU backend and the
     * GPU backend's fallback); {@code log} receives the one-line fallback notice.
     */
    public static MiBackend open(String device, EstimatorProvider p, EstimatorParams params, int threads, PrintWriter log) {
        Spec spec = parse(device);
        Estimator est = p.create(params);
        if (spec.kind().equals("cpu")) {
            return new CpuMiBackend(est, threads);
        }
        Optional<KernelBinding> binding = binding(p);
        if (binding.isEmpty()) {
            if (spec.kind().equals("cuda")) {
                throw new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, "estimator '" + p.name() + "' has no GPU kernel");
            }
            return new CpuMiBackend(est, threads);
        }
        if (spec.kind().equals("auto") && autoFailure != null) {
            return new CpuMiBackend(est, threads);
        }
        try {
            return openCuda(spec.index(), binding.get(), params, est, log);
        } catch (MipeaksException | LinkageError | jcuda.CudaException e) {
            String why = e instanceof MipeaksException ? e.getMessage() : "no CUDA device: " + CudaDevice.reason(e);
            if (spec.kind().equals("cuda")) {
                throw e instanceof MipeaksException me && me.exitCode() == ExitCode.DEVICE_UNAVAILABLE ? me
                        : new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, why, e);
            }
            autoFailure = why;
            if (log != null) {
                log.println(fallbackNotice(why, dev.mipeaks.Diagnostics.debug()));
                log.flush();
            }
            return new CpuMiBackend(est, threads);
        }
    }

    /** The quiet fallback lines of {@code --device auto} (the reason only with --debug). */
    public static final String NO_GPU_LINE = "mipeaks: no GPU found, MI on the CPU";
    public static final String NO_KERNELS_LINE = "mipeaks: GPU kernels not built, MI on the CPU";

    /**
     * The one line {@code --device auto} prints when it falls back to the CPU: quiet by default ("no GPU found, MI on
     * the CPU"; "GPU kernels not built" when the jar has none), the probe's reason only with {@code --debug}.
     */
    static String fallbackNotice(String why, boolean debug) {
        boolean noKernels = why != null && why.contains("not built");
        String line = noKernels ? NO_KERNELS_LINE : NO_GPU_LINE;
        return debug && why != null ? line + " (" + why + ")" : line;
    }

    static CudaMiBackend openCuda(int index, KernelBinding binding, EstimatorParams params, Estimator cpu, PrintWriter log) {
        KernelLibrary lib = KernelLibrary.load();
        if (!lib.isBuilt()) {
            throw new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, String.join("; ", lib.problems()));
        }
        CudaDevice dev = CudaDevice.open(index);
        try {
            return new CudaMiBackend(dev, lib, binding, binding.config(params), cpu, log);
        } catch (RuntimeException e) {
            dev.close();
            throw e;
        }
    }
}
