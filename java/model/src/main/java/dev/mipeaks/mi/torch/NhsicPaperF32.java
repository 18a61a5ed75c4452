package dev.mipeaks.mi.torch;

import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorParams;
import dev.mipeaks.mi.Sigma;
import dev.mipeaks.mi.reference.ReferenceEstimators;
import dev.mipeaks.model.NativeRuntime;
import java.util.List;

/**
 * {@code nhsic-paper-f32}: the paper's dense float32 path ({@link PaperTorch}) as a registered reference estimator.
 * It sits beside the model runtime because it needs LibTorch; the other dense references are in {@code mi.reference}.
 */
public final class NhsicPaperF32 extends ReferenceEstimators.ReferenceProvider {
    public NhsicPaperF32() {
        super("nhsic-paper-f32",
                "the reference's dense float32 computation op for op on LibTorch (inexact; for comparison and timing)",
                List.of(ReferenceEstimators.SIGMA, ReferenceEstimators.EPS));
    }

    @Override
    public Estimator create(EstimatorParams p) {
        Sigma sigma = p.getSigma("sigma");
        double eps = p.getDouble("eps");
        if (sigma.median()) {
            throw new IllegalArgumentException("nhsic-paper-f32 takes a fixed sigma");
        }
        // LibTorch first: without its jars this is a one-line error before any work (PaperTorch needs them)
        NativeRuntime.loadTorch();
        return ReferenceEstimators.dense(name(), ReferenceEstimators.params("sigma", sigma.json(), "eps", eps), sigma,
                (x, y) -> PaperTorch.nhsic(x, y, sigma.value(), eps));
    }
}
