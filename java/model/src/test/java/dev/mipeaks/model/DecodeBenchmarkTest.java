package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The decode benchmark the GPU check runs: it decodes what it says (rows x timed steps) and its bound arithmetic. */
class DecodeBenchmarkTest {
    @Test
    void measuresTheTimedStepsOfEveryRow() {
        Path dir = SharedModels.model("tiny-llama31");
        try (LlamaModel m = LlamaModel.load(dir, new LlamaModel.Options("cpu", "f32"))) {
            DecodeBenchmark.Result r = DecodeBenchmark.measure(m, 3, 10, true, 1);
            assertEquals(3, r.batch());
            assertEquals(8, r.steps(), "two warm-up steps are not timed");
            assertTrue(r.seconds() > 0);
            assertEquals(m.weightBytes(), r.weightBytes());
            assertEquals(3 * 8 / r.seconds(), r.tokensPerSecond(), 1e-9);
        }
        DecodeBenchmark.Result fake = new DecodeBenchmark.Result(1, 100, 2.0, 1_000_000_000L);
        // 50 steps/s x 1 GB per step = 50 GB/s: half of a 100 GB/s bound
        assertEquals(0.5, fake.boundFraction(100e9), 1e-12);
    }
}
