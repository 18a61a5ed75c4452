package dev.mipeaks.cli;

import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.EstimatorRegistry;
import dev.mipeaks.mi.ParamSpec;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** Lists the registered estimators with their parameters and defaults. */
@Command(name = "estimators", description = "List the registered MI estimators and their parameters.",
        mixinStandardHelpOptions = true)
public final class EstimatorsCommand extends CommandBase {

    @Override
    public Integer call() {
        PrintWriter out = out();
        for (EstimatorProvider p : EstimatorRegistry.load().all()) {
            out.printf("%-16s %s%s%n", p.name(), p.description(),
                    p.gpuKernel().map(k -> " [gpu kernel: " + k + "]").orElse(""));
            for (ParamSpec s : p.parameters()) {
                out.printf("  %-14s default %-8s %s%n", "--" + s.name(), s.defaultValue(), s.description());
            }
        }
        out.flush();
        return 0;
    }
}
