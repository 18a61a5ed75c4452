package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.TestMath;
import dev.mipeaks.io.DType;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers split over CUDA devices: {@code cuda:0,cuda:0} equals the unsplit model on cuda:0 bit for bit, the weights
 * each device holds are the memory plan's, and the driver's free memory drops by what the plan printed for the
 * weights; with two GPUs, {@code cuda:0,cuda:1} (the residual stream crossing devices) gives the unsplit model's
 * greedy ids and states. Skips with the reason where LibTorch sees no CUDA device; {@code -Dmipeaks.test.cuda=cpu}
 * dry-runs it on the CPU (the driver measurement left out).
 */
class GpuLayerSplitTest {
    private static final String CUDA = System.getProperty("mipeaks.test.cuda", "cuda:0");

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsCuda() {
        CudaTests.assumeCuda(CUDA, "GpuLayerSplitTest");
    }

    static String twice() {
        return CUDA + "," + CUDA;
    }

    @EachSharedModel
    void aSplitOverOneGpuTwiceEqualsTheUnsplitModelBitForBit(String name) {
        Path dir = SharedModels.model(name);
        int n = ModelConfig.load(dir).numLayers();
        LayerSplitTest.Trace whole = LayerSplitTest.trace(dir, new LlamaModel.Options(CUDA, "f32"));
        LayerSplitTest.assertSame(whole, LayerSplitTest.trace(dir, LlamaModel.Options.of(
                Placement.parse(twice(), null, n), "f32")), name + " over " + twice());
        LayerSplitTest.assertSame(LayerSplitTest.trace(dir, new LlamaModel.Options(CUDA, "bf16")),
                LayerSplitTest.trace(dir, LlamaModel.Options.of(Placement.parse(twice(), null, n), "bf16")),
                name + " bf16 over " + twice());
    }

    @Test
    void theMemoryPrintedPerDeviceIsTheWeightsPlacedThere() throws Exception {
        // about 200M parameters in f32 (800 MB), so the driver's granularity is small against it
        Path dir = tmp.resolve("m");
        RandomCheckpoint.write(dir, new RandomCheckpoint.Shape(1024, 2816, 8, 16, 4, 32000), DType.BF16, 5);
        ModelConfig c = ModelConfig.load(dir);
        Placement p = Placement.parse(twice(), "3,5", c.numLayers());
        MemoryPlan.Request r = MemoryPlan.Request.generation(c, MemoryPlan.Weights.read(dir, c), p, "f32", 1, 8, 8);
        MemoryPlan plan = MemoryPlan.of(r, new SystemMemory());
        System.out.println(String.join("\n", plan.lines()));
        long planned = plan.need(CUDA).weights();
        // warm: the context and LibTorch's kernels exist before the measurement, and the caching allocator gives
        // the warm-up's blocks back to the driver (else the split model would reuse them unseen)
        try (LlamaModel warm = LlamaModel.load(dir, new LlamaModel.Options(CUDA, "f32"))) {
            assertEquals(Map.of(CUDA, planned), warm.weightBytesByDevice());
        }
        long before = -1;
        if (!CUDA.equals("cpu")) {
            try {
                torch.emptyCache();
                before = SystemMemory.cudaFree(Placement.cudaIndex(CUDA));
            } catch (LinkageError e) {
                System.out.println("note: no CUDACachingAllocator::emptyCache in these natives: the driver's free "
                        + "memory is not compared");
            }
        }
        try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.of(p, "f32"))) {
            assertEquals(Map.of(CUDA, planned), m.weightBytesByDevice());
            if (before >= 0) {
                long used = before - SystemMemory.cudaFree(Placement.cudaIndex(CUDA));
                System.out.printf("%s: plan's weights %s, the driver's free memory dropped by %s%n", CUDA,
                        MemoryPlan.bytes(planned), MemoryPlan.bytes(used));
                // the caching allocator rounds each tensor's segment up (2 MiB steps): at least the weights, and
                // not much more (RoPE tables and rounding)
                assertTrue(used >= planned && used <= planned + (64L << 20), "dropped " + used + " for " + planned
                        + " of weights");
            }
        }
    }

    @Test
    void twoGpusGiveTheUnsplitModelsTokensAndStates() {
        int gpus = CUDA.equals("cpu") ? 0 : torch.cuda_device_count();
        if (gpus < 2) {
            System.out.println("SKIP twoGpusGiveTheUnsplitModelsTokensAndStates: " + gpus + " CUDA device(s)");
        }
        Assumptions.assumeTrue(gpus >= 2, "needs two CUDA devices");
        for (String name : new String[] {"stories260k", "tiny-qwen2", "tiny-llama31"}) {
            Path dir = SharedModels.model(name);
            int n = ModelConfig.load(dir).numLayers();
            LayerSplitTest.Trace whole = LayerSplitTest.trace(dir, new LlamaModel.Options("cuda:0", "f32"));
            Placement p = Placement.parse("cuda:0,cuda:1", null, n);
            LayerSplitTest.Trace split = LayerSplitTest.trace(dir, LlamaModel.Options.of(p, "f32"));
            assertArrayEquals(whole.ids(), split.ids(), name);
            for (int t = 0; t < whole.ids().length; t++) {
                for (int l = 0; l < n; l++) {
                    double e = TestMath.relErr(TestMath.toDoubles(whole.states()[t][l]),
                            TestMath.toDoubles(split.states()[t][l]));
                    assertTrue(e < 1e-5, name + " step " + t + " layer " + l + ": " + e);
                }
            }
            ModelConfig c = ModelConfig.load(dir);
            MemoryPlan plan = MemoryPlan.of(MemoryPlan.Request.generation(c, MemoryPlan.Weights.read(dir, c), p, "f32",
                    1, 4, 4), MemoryPlan.Available.of(Map.of(), -1));
            try (LlamaModel m = LlamaModel.load(dir, LlamaModel.Options.of(p, "f32"))) {
                assertEquals(Map.of("cuda:0", plan.need("cuda:0").weights(), "cuda:1", plan.need("cuda:1").weights()),
                        m.weightBytesByDevice(), name);
            }
        }
    }
}
