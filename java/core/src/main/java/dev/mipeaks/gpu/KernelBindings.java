package dev.mipeaks.gpu;

import dev.mipeaks.mi.EstimatorProvider;
import dev.mipeaks.mi.EstimatorRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The kernel bindings of every registered estimator whose spec declares a GPU entry family. */
public final class KernelBindings {

    private KernelBindings() {
    }

    public static Map<String, KernelBinding> all() {
        Map<String, KernelBinding> m = new LinkedHashMap<>();
        for (EstimatorProvider p : EstimatorRegistry.load().all()) {
            KernelBinding.of(p.spec()).ifPresent(b -> m.put(b.estimator(), b));
        }
        return m;
    }

    public static Optional<KernelBinding> forEstimator(String name) {
        return Optional.ofNullable(all().get(name));
    }

    /** Strips a dtype suffix: an entry point name or its family gives the family. */
    public static String entryBase(String gpuKernel) {
        if (gpuKernel.endsWith("_f32")) {
            return gpuKernel.substring(0, gpuKernel.length() - 4);
        }
        if (gpuKernel.endsWith("_bf16")) {
            return gpuKernel.substring(0, gpuKernel.length() - 5);
        }
        return gpuKernel;
    }
}
