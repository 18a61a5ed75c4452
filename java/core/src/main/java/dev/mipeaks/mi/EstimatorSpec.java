package dev.mipeaks.mi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an estimator declares, once: its registry name, one line for {@code mipeaks estimators}, its parameters with
 * their defaults, and its GPU entry family if it has kernels. Read by the registry and the CLI ({@code mi}) and by the
 * kernel bindings ({@code gpu}), so a default or an entry name is never written twice.
 *
 * @param reference true for the slow dense references kept beside the fast estimators
 */
public record EstimatorSpec(String name, String description, List<ParamSpec> parameters, Optional<GpuEntry> gpu,
                            boolean reference) {

    public EstimatorSpec {
        parameters = List.copyOf(parameters);
    }

    /** A CPU-only estimator. */
    public static EstimatorSpec of(String name, String description, List<ParamSpec> parameters) {
        return new EstimatorSpec(name, description, parameters, Optional.empty(), false);
    }

    /** This spec with kernels: the entry points of {@code gpu}. */
    public EstimatorSpec withGpu(GpuEntry gpu) {
        return new EstimatorSpec(name, description, parameters, Optional.of(gpu), reference);
    }

    /** This spec marked as a dense reference. */
    public EstimatorSpec asReference() {
        return new EstimatorSpec(name, description, parameters, gpu, true);
    }

    /** {@code given} (name to text) parsed against the declared parameters; IllegalArgumentException names the field. */
    public EstimatorParams parse(Map<String, String> given) {
        return EstimatorParams.parse(name, parameters, given);
    }

    /** Every parameter at its default. */
    public EstimatorParams defaults() {
        return parse(Map.of());
    }

    /**
     * The CUDA side of an estimator: the entry family {@code family + "_f32" | "_bf16"} (with {@code _x16} variants for
     * the low-rank kernels) with the ABI of {@code kernels/mipeaks_abi.h}, how its parsed parameters become launch
     * parameters, and the value the kernel computes from the factors, in plain float64 (the host twin the kernel tests
     * compare with).
     *
     * @param family  entry point prefix, e.g. {@code mipeaks_nhsic}
     * @param lowRank true for kernels built on {@code lowrank.cuh} (dynamic shared memory, scratch, y factor)
     * @param config  launch parameters from the parameters parsed by {@link #parse} (defaults filled in)
     * @param value   the kernel's finishing step on the factors of a pair
     */
    public record GpuEntry(String family, boolean lowRank, Function<EstimatorParams, KernelConfig> config,
                           HostValue value) {
    }

    /** The value a kernel computes from one pair's factors (see {@link FactorPair}). */
    @FunctionalInterface
    public interface HostValue {
        double of(FactorPair p);
    }
}
