package dev.mipeaks.bench;

import dev.mipeaks.io.Matrix;
import dev.mipeaks.mi.CpuMiBackend;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * nhsic at m = 4096, sigma 50: pairs per second for the fast exact estimator (trajectory batches: many step vectors
 * against one ground-truth vector, all cores and one core; and row-paired batches), next to the dense float64
 * reference and the paper's dense float32 path, measured in the same run.
 *
 * <p>Run: {@code java -jar bench/target/mipeaks-bench.jar NhsicBenchmark} (after {@code mvn -q -DskipTests package}).
 * All results are in ops/s = pairs/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xss64m"}) // LibTorch's LAPACK inverse needs a deep native stack
public class NhsicBenchmark {
    static final int BATCH = 512;

    @Param({"4096"})
    int m;

    Matrix xs;
    Matrix yOne;
    Matrix yRows;
    double[] x0;
    double[] y0;
    Estimator fast;
    Estimator dense;
    Estimator paper;
    CpuMiBackend allCores;
    CpuMiBackend oneCore;

    @Setup(Level.Trial)
    public void setup() {
        double[][] x = HiddenLike.rows(1, BATCH, m);
        double[][] y = HiddenLike.rows(2, BATCH, m);
        xs = Matrix.of("bench x", x);
        yOne = Matrix.of("bench y", new double[][] {y[0]});
        yRows = Matrix.of("bench y rows", y);
        x0 = x[0];
        y0 = y[0];
        EstimatorRegistry reg = EstimatorRegistry.load();
        fast = reg.create("nhsic", Map.of());
        dense = reg.create("nhsic-ref", Map.of());
        paper = reg.create("nhsic-paper-f32", Map.of());
        allCores = new CpuMiBackend(fast, CpuMiBackend.defaultThreads());
        oneCore = new CpuMiBackend(fast, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        allCores.close();
        oneCore.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 2, time = 3)
    @Measurement(iterations = 3, time = 5)
    public Estimate[] fastTrajectoryAllCores() {
        return allCores.estimate(xs, yOne);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 2, time = 3)
    @Measurement(iterations = 3, time = 5)
    public Estimate[] fastTrajectoryOneCore() {
        return oneCore.estimate(xs, yOne);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 2, time = 3)
    @Measurement(iterations = 3, time = 5)
    public Estimate[] fastRowPairsAllCores() {
        return allCores.estimate(xs, yRows);
    }

    /** One pair per invocation; O(m^3) float64 with m x m matrices. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public double denseReferenceF64() {
        return dense.estimate(x0, y0).value();
    }

    /** The reference's float32 dense path (nhsic-paper-f32: its ops on LibTorch, distmat, Gram, K H, inverse, R, sum). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public double paperDenseF32() {
        return paper.estimate(x0, y0).value();
    }
}
