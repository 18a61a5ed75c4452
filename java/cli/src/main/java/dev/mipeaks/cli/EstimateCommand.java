package dev.mipeaks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.io.Matrix;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.io.OutputPaths;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.MiBackend;
import dev.mipeaks.study.Progress;
import dev.mipeaks.pipeline.MiBackends;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mipeaks estimate}: one estimator over the rows of two tensors of a safetensors file, as JSON lines. */
@Command(name = "estimate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate dependence between rows of x and rows of y (or one y row) in a safetensors file.",
                "Prints one JSON object per row of x: {\"row\", \"estimator\", \"value\", rank_x/rank_y, parameters}."})
public final class EstimateCommand extends CommandBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ArgGroup(exclusive = false, multiplicity = "1", heading = "%nInput:%n", order = 1)
    InputOptions input;

    @ArgGroup(validate = false, heading = "%nEstimator:%n", order = 2)
    EstimatorGroup est = new EstimatorGroup();

    @ArgGroup(validate = false, heading = "%nExecution and output:%n", order = 3)
    ExecOptions exec = new ExecOptions();

    static final class InputOptions {
        @Option(names = "--pairs", required = true, paramLabel = "FILE.safetensors", description = "Input file.")
        Path pairs;

        @Option(names = "--x", required = true, paramLabel = "NAME", description = "Tensor [N, m]: one vector per row.")
        String x;

        @Option(names = "--y", required = true, paramLabel = "NAME",
                description = "Tensor [N, m] (row i pairs with row i) or [1, m] (pairs with every x row).")
        String y;
    }

    /** The shared estimator options (an ArgGroup cannot hold a mixin; it inherits them) and estimate's --sigma. */
    static final class EstimatorGroup extends EstimatorOptions {
        @Option(names = "--sigma", paramLabel = "50|median", description = "Kernel width (default 50), or 'median'.")
        String sigma;
    }

    /** --threads (an ArgGroup cannot hold a mixin; it inherits it), --device, --out and --quiet. */
    static final class ExecOptions extends ThreadsOption {
        @Option(names = "--device", paramLabel = "auto|cpu|cuda[:N]", defaultValue = "auto",
                description = "Where to compute: auto (GPU when usable, else CPU with one notice), cpu, cuda, cuda:N. Default: ${DEFAULT-VALUE}.")
        String device;

        @Option(names = "--out", paramLabel = "FILE.jsonl", description = "Write JSON lines here (atomically) instead of stdout.")
        Path out;

        @Option(names = "--quiet", description = "No progress lines.")
        boolean quiet;
    }

    @Override
    public Integer call() throws IOException {
        String name = est.name;
        EstimatorParams parsed = MiBackends.params(name, est.params(est.sigma));
        PrintWriter err = err();
        int threads = exec.resolve(err);
        if (exec.out != null) {
            OutputPaths.requireFile("--out", exec.out, Map.of(input.pairs, "--pairs"));
        }
        try (SafetensorsFile f = SafetensorsFile.open(input.pairs);
             MiBackend backend = MiBackends.open(exec.device, name, parsed, threads, err)) {
            Estimator estimator = backend.estimator();
            Matrix x = f.matrix(input.x);
            Matrix y = f.matrix(input.y);
            Progress progress = exec.quiet ? null : new Progress(err, "estimate " + estimator.name() + " on "
                    + backend.describe(), "pairs", 0, 0).throttled(2000);
            long t0 = System.nanoTime();
            Estimate[] values = backend.estimate(x, y, progress == null ? null : progress::update);
            double secs = (System.nanoTime() - t0) / 1e9;
            if (exec.out == null) {
                PrintWriter out = out();
                writeRows(out, estimator, values);
                out.flush();
            } else {
                AtomicFiles.write(exec.out, os -> {
                    Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                    writeRows(w, estimator, values);
                    w.flush();
                });
            }
            if (!exec.quiet) {
                err.printf("%d pairs in %.3f s (%.1f pairs/s) on %s%n", values.length, secs, values.length / secs,
                        backend.describe());
                err.flush();
            }
        } catch (IllegalArgumentException e) {
            throw MipeaksException.invalid(e.getMessage(), e);
        }
        return 0;
    }

    /**
     * One output line: the row, the estimator and its value, the ranks of the two factors when the estimator has
     * them, then the estimator's parameters in its own order.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"row", "estimator", "value", "rank_x", "rank_y"})
    record Row(int row, String estimator, double value, @JsonInclude(JsonInclude.Include.NON_NULL) Integer rankX,
               @JsonInclude(JsonInclude.Include.NON_NULL) Integer rankY, Map<String, Object> params) {
        static Row of(int row, Estimator estimator, Estimate e) {
            boolean ranked = e.rankX() >= 0;
            return new Row(row, estimator.name(), e.value(), ranked ? e.rankX() : null, ranked ? e.rankY() : null,
                    estimator.parameters());
        }

        /** The parameters, written after the other fields. */
        @Override
        @JsonAnyGetter
        public Map<String, Object> params() {
            return params;
        }
    }

    static void writeRows(Writer w, Estimator estimator, Estimate[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            w.write(JSON.writeValueAsString(Row.of(i, estimator, values[i])));
            w.write('\n');
        }
    }
}
