package dev.mipeaks.cli;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.gpu.CudaDevice;
import dev.mipeaks.gpu.KernelBindings;
import dev.mipeaks.gpu.KernelLibrary;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mipeaks gpu-info}: the CUDA device, whether kernels are built, and which estimator kernels exist. */
@Command(name = "gpu-info", mixinStandardHelpOptions = true,
        description = "Show the CUDA device, its memory, and the estimator kernels available to it.")
public final class GpuInfoCommand extends CommandBase {

    @Option(names = "--device", paramLabel = "cuda[:N]", defaultValue = "cuda:0", description = "cuda or cuda:N (default cuda:0).")
    String device;

    @Option(names = "--kernels", paramLabel = "FILE|DIR", description = "Extra kernels: a .ptx or .cu file, or a directory with kernels.list.")
    String kernels;

    @Option(names = "--require", description = "Exit 3 when no GPU or no kernels are available.")
    boolean require;

    @Override
    public Integer call() {
        PrintWriter out = out();
        if (kernels != null) {
            System.setProperty("mipeaks.kernels", kernels);
        }
        KernelLibrary lib = KernelLibrary.load();
        if (lib.isBuilt()) {
            out.println("kernels: built");
            for (KernelLibrary.Module m : lib.modules()) {
                out.println("  " + m.name() + " (" + m.source() + ", cubins: "
                        + (m.cubins().isEmpty() ? "none" : "sm_" + String.join(", sm_", m.cubins().keySet())) + "): "
                        + String.join(" ", m.entries()));
            }
        } else {
            out.println("kernels: not built");
        }
        lib.problems().forEach(p -> out.println("  note: " + p));
        KernelBindings.all().values().forEach(b -> out.println("estimator " + b.estimator() + ": "
                + (lib.entries().contains(b.entryBase() + "_f32") && lib.entries().contains(b.entryBase() + "_bf16")
                ? "GPU kernel " + b.entryBase() + "_{f32,bf16}" + (b.lowRank() ? wideNote(lib, b.entryBase()) : "")
                : "no GPU kernel built")));
        int index = dev.mipeaks.gpu.Devices.parse(device).index();
        try (CudaDevice d = CudaDevice.open(index)) {
            long[] mem = d.memoryInfo();
            out.printf("device: cuda:%d %s, sm_%d, %d SMs, %.1f GiB total, %.1f GiB free, %d KiB shared memory per block, driver %d.%d%n",
                    d.index(), d.name(), d.sm(), d.multiprocessors(), mem[1] / 1073741824.0, mem[0] / 1073741824.0,
                    d.sharedMemoryOptin() / 1024, d.driverVersion() / 1000, d.driverVersion() % 1000 / 10);
            if (lib.isBuilt()) {
                for (KernelLibrary.Module m : lib.modules()) {
                    if (!m.entries().isEmpty()) {
                        try {
                            d.function(lib, m.entries().get(0));
                            out.println("  loaded " + m.name() + ": " + d.loadedHow(m.source()));
                        } catch (jcuda.CudaException e) {
                            out.println("  loading " + m.name() + " failed: " + e.getMessage());
                        }
                    }
                }
            }
        } catch (MipeaksException e) {
            out.println("device: none (" + e.getMessage() + ")");
            out.flush();
            if (require) {
                throw e.exitCode() == ExitCode.DEVICE_UNAVAILABLE ? e : new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, e.getMessage(), e);
            }
            return 0;
        }
        if (require && !lib.isBuilt()) {
            throw new MipeaksException(ExitCode.DEVICE_UNAVAILABLE, "kernels not built");
        }
        out.flush();
        return 0;
    }

    /** Low-rank kernels: m up to 4096 at 512 threads, or 8192 with the _x16 entry points. */
    private static String wideNote(KernelLibrary lib, String base) {
        return lib.entries().contains(base + "_f32_x16") && lib.entries().contains(base + "_bf16_x16")
                ? " (+ _x16: m up to 8192)" : " (m up to 4096; no _x16 entry points)";
    }
}
