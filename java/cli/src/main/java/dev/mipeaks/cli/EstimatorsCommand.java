package dev.mipeaks.cli;

import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.EstimatorRegistry;
import dev.mipeaks.mi.ParamSpec;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Lists the registered estimators with their parameters and defaults. */
@Command(name = "estimators", description = "List the registered MI estimators and their parameters.",
        mixinStandardHelpOptions = true)
public final class EstimatorsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
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
