package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.DType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The memory plan's arithmetic and its checks, with injected free memory (nothing is allocated). */
class MemoryPlanTest {
    static final long GIB = 1L << 30;

    static MemoryPlan.Request request(ModelConfig c, String dtype, long prompt, long newTokens) {
        return MemoryPlan.Request.generation(c, MemoryPlan.Weights.of(c, DType.BF16), Placement.single("cpu",
                c.numLayers()), dtype, 1, prompt, newTokens);
    }

    static MemoryPlan.Available free(long cpu, long... gpus) {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("cpu", cpu);
        for (int i = 0; i < gpus.length; i++) {
            m.put("cuda:" + i, gpus[i]);
        }
        return MemoryPlan.Available.of(m, Long.MAX_VALUE);
    }

    @Test
    void weightsAndKvCacheOfLlama8bAreTheModelsOwnNumbers() {
        ModelConfig c = PublicConfigs.llama31_8b();
        MemoryPlan.Weights w = MemoryPlan.Weights.of(c, DType.BF16);
        // the published parameter count of Llama-3.1-8B
        assertEquals(8_030_261_248L, w.total());
        assertEquals(c.parameterCount(), w.total());
        MemoryPlan p = MemoryPlan.of(request(c, "bf16", 1000, 15384).withPlacement(Placement.single("cuda:0", 32)),
                free(64 * GIB, 80 * GIB));
        MemoryPlan.Need g = p.need("cuda:0");
        assertEquals(2 * 8_030_261_248L, g.weights());
        // layers x 2 (k, v) x kv heads x head dim x positions x bytes
        assertEquals(32L * 2 * 8 * 128 * 16384 * 2, g.kvCache());
        assertEquals(2 * GIB, g.kvCache());
        assertTrue(g.fits());
        assertEquals(MemoryPlan.CUDA_RUNTIME, g.runtime());
        // f32 doubles both
        MemoryPlan f = MemoryPlan.of(request(c, "f32", 1000, 15384), free(64 * GIB));
        assertEquals(4 * 8_030_261_248L, f.need("cpu").weights());
        assertEquals(4 * GIB, f.need("cpu").kvCache());
        assertFalse(f.need("cpu").mapped(), "bf16 weights computed in f32 are converted copies");
        assertTrue(MemoryPlan.of(request(c, "bf16", 1000, 15384), free(64 * GIB)).need("cpu").mapped());
        assertEquals(70_553_706_496L, MemoryPlan.Weights.of(PublicConfigs.llama33_70b(), DType.BF16).total());
    }

    @Test
    void aRunThatDoesNotFitIsRefusedWithItsNumbers() {
        ModelConfig c = PublicConfigs.llama31_8b();
        MemoryPlan p = MemoryPlan.of(request(c, "f32", 100, 2000), free(20 * GIB));
        assertFalse(p.fits());
        MipeaksException e = assertThrows(MipeaksException.class, () -> p.check(true));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        String m = e.getMessage();
        assertTrue(m.startsWith("memory plan: cpu needs 31.0 GiB (weights 29.9 GiB + KV cache"), m);
        assertTrue(m.contains("KV cache 525.0 MiB") && m.contains("20.0 GiB are available"),
                m);
        assertTrue(m.contains("--dtype bf16") && m.contains("--no-memory-check"), m);
        p.check(false); // the memory check can be skipped
        // the same run in bf16 fits
        MemoryPlan.of(request(c, "bf16", 100, 2000), free(20 * GIB)).check(true);
        // unknown memory never refuses
        MemoryPlan.of(request(c, "f32", 100, 2000), MemoryPlan.Available.of(Map.of(), -1)).check(true);
    }

    @Test
    void positionsBeyondTheModelAreRefusedEvenWithoutTheMemoryCheck() {
        ModelConfig c = PublicConfigs.llama31_8b();
        MemoryPlan ok = MemoryPlan.of(request(c, "bf16", 72, 131000), free(Long.MAX_VALUE));
        assertTrue(ok.positionsFit());
        MemoryPlan p = MemoryPlan.of(request(c, "bf16", 73, 131000), free(Long.MAX_VALUE));
        MipeaksException e = assertThrows(MipeaksException.class, () -> p.check(false));
        assertEquals("prompt 73 + max new tokens 131000 = 131073 positions, more than the model's "
                + "max_position_embeddings 131072 (config.json); lower --max-new-tokens or shorten the prompt", e.getMessage());
    }

    @Test
    void capturedStatesNeedTwiceTheirSizeOnDiskAndTheirChunksInRam() {
        ModelConfig c = PublicConfigs.llama31_8b();
        MemoryPlan.States st = new MemoryPlan.States(4096, 32, 4096, DType.F32, 384, 16 + 16 * 32, Path.of("/runs/x"));
        MemoryPlan.Request r = request(c, "bf16", 100, 4096).withStates(st);
        long states = 4096L * 32 * 4096 * 4;
        MemoryPlan p = MemoryPlan.of(r, MemoryPlan.Available.of(Map.of("cpu", 64 * GIB), 2 * states - 1));
        assertEquals(2 * states, p.disk().bytes());
        assertEquals(384L * 32 * 4096 * 4 + 4096L * (16 + 16 * 32), p.need("cpu").states());
        MipeaksException e = assertThrows(MipeaksException.class, () -> p.check(true));
        assertTrue(e.getMessage().contains("captured states need 4.0 GiB of disk under /runs/x"), e.getMessage());
        assertTrue(MemoryPlan.of(r, MemoryPlan.Available.of(Map.of("cpu", 64 * GIB), 2 * states)).fits());
        // without captured states there is no disk line
        assertNull(MemoryPlan.of(request(c, "bf16", 100, 4096), free(64 * GIB)).disk());
    }

    @Test
    void aSplitPlacesEveryWeightOnceAndTheKvCacheWithItsLayers() {
        ModelConfig c = PublicConfigs.llama33_70b();
        MemoryPlan.Request r = request(c, "bf16", 100, 8092);
        MemoryPlan whole = MemoryPlan.of(r.withPlacement(Placement.single("cuda:0", 80)), free(GIB, 200 * GIB));
        MemoryPlan split = MemoryPlan.of(r.withPlacement(Placement.parse("cuda:0,cuda:1", "30,50", 80)),
                free(GIB, 80 * GIB, 80 * GIB));
        MemoryPlan.Need a = split.need("cuda:0");
        MemoryPlan.Need b = split.need("cuda:1");
        assertEquals(whole.need("cuda:0").weights(), a.weights() + b.weights());
        assertEquals(whole.need("cuda:0").kvCache(), a.kvCache() + b.kvCache());
        assertEquals(whole.need("cuda:0").kvCache() * 30 / 80, a.kvCache());
        long embed = 128256L * 8192 * 2;
        long perLayer = (whole.need("cuda:0").weights() - 2 * embed - 8192L * 2) / 80;
        assertEquals(embed + 30 * perLayer, a.weights());
        assertEquals(50 * perLayer + 8192L * 2 + embed, b.weights());
        assertTrue(a.holds().contains("embedding") && b.holds().contains("norm, head"), a.holds() + " / " + b.holds());
        assertFalse(b.fits(), "50 layers of 70B in bf16 do not fit 80 GiB");
        // a tied head split from its embedding is a second copy on the last device
        ModelConfig tied = RandomTied.config();
        MemoryPlan.Request t = MemoryPlan.Request.generation(tied, MemoryPlan.Weights.of(tied, DType.F32),
                Placement.single("cpu", 4), "f32", 1, 4, 4);
        long one = MemoryPlan.of(t, free(GIB)).need("cpu").weights();
        MemoryPlan cc = MemoryPlan.of(t.withPlacement(Placement.parse("cpu,cuda:0", null, 4)), free(GIB, GIB));
        assertEquals(one + (long) tied.vocabSize() * tied.hiddenSize() * 4,
                cc.need("cpu").weights() + cc.need("cuda:0").weights());
    }

    /** A small tied-embedding config. */
    static final class RandomTied {
        static ModelConfig config() {
            return ConfigJson.parse("tied", new RandomCheckpoint.Shape(64, 128, 4, 4, 4, 1000), """
                    {"model_type": "llama", "max_position_embeddings": 256, "rms_norm_eps": 1e-5,
                     "tie_word_embeddings": true}""");
        }
    }

    @Test
    void autoUsesOneGpuThenFillsSeveralThenFallsBackToTheCpu() {
        ModelConfig c = PublicConfigs.llama33_70b();
        MemoryPlan.Request r = request(c, "bf16", 500, 4000);
        List<String> said = new ArrayList<>();
        // one H200-size GPU holds it
        assertEquals("cuda:0", MemoryPlan.auto(r, free(64 * GIB, 139 * GIB, 139 * GIB), 2, said::add).label());
        assertTrue(said.isEmpty(), said.toString());
        // two 80 GiB GPUs: split, filling the first before the second, and saying so
        Placement two = MemoryPlan.auto(r, free(64 * GIB, 79 * GIB, 79 * GIB, 79 * GIB), 3, said::add);
        assertEquals(2, two.blocks().size(), two.label());
        assertEquals("cuda:0", two.first().device());
        assertTrue(two.first().layers() > two.last().layers(), two.label());
        MemoryPlan p = MemoryPlan.of(r.withPlacement(two), free(64 * GIB, 79 * GIB, 79 * GIB, 79 * GIB));
        assertTrue(p.fits(), String.join("\n", p.lines()));
        // the first GPU is filled: one more layer would not fit
        int k = two.first().layers();
        Placement more = Placement.of(List.of("cuda:0", "cuda:1"), new int[] {k + 1, 80 - k - 1}, 80);
        assertFalse(MemoryPlan.of(r.withPlacement(more), free(64 * GIB, 79 * GIB, 79 * GIB)).need("cuda:0").fits());
        assertEquals(1, said.size());
        assertTrue(said.get(0).startsWith("--device auto: the model needs ") && said.get(0).contains("split over 2 GPUs"),
                said.get(0));
        // GPUs too small, enough RAM: the CPU
        said.clear();
        assertEquals("cpu", MemoryPlan.auto(r, free(512 * GIB, 24 * GIB, 24 * GIB), 2, said::add).label());
        assertTrue(said.get(0).contains("computing on the CPU"), said.get(0));
        // nothing fits: every GPU, evenly (the check then refuses with the numbers)
        Placement none = MemoryPlan.auto(r, free(GIB, 24 * GIB, 24 * GIB), 2, s -> { });
        assertEquals("cuda:0[0-39],cuda:1[40-79]", none.label());
        // no GPU at all
        assertEquals("cpu", MemoryPlan.auto(r, free(GIB), 0, s -> { }).label());
    }

    @Test
    void prepareChoosesPrintsAndChecks() {
        ModelConfig c = PublicConfigs.qwen25_14b();
        StringWriter sw = new StringWriter();
        MemoryPlan p = MemoryPlan.prepare(request(c, "bf16", 200, 1000), "cuda:0", null, true,
                free(64 * GIB, 79 * GIB), () -> 1, new PrintWriter(sw));
        assertEquals("bf16", p.computeDtype());
        assertEquals("cuda:0", p.placement().label());
        String out = sw.toString();
        assertTrue(out.startsWith("memory plan: prompt 200 + max new tokens 1000 = 1200 positions "
                + "(max_position_embeddings 131072), batch 1, bf16 compute"), out);
        assertTrue(out.contains("cuda:0  model: weights 27.5 GiB + KV cache 225.0 MiB"), out);
        assertEquals(3, out.lines().count(), out); // the shape, the GPU, the host
        MipeaksException e = assertThrows(MipeaksException.class, () -> MemoryPlan.prepare(request(c, "f32", 200, 1000),
                "cuda:0", null, true, free(64 * GIB, 40 * GIB), () -> 1, new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("cuda:0 needs 56.3 GiB") && e.getMessage().contains("40.0 GiB are free")
                && e.getMessage().contains("--device cuda:0,cuda:1"), e.getMessage());
        // "cuda" is LibTorch's current device, cuda:0: one GPU has one name in the plan
        MemoryPlan cur = MemoryPlan.prepare(request(c, null, 200, 1000).withExtra(new MemoryPlan.Extra("cuda:0", "MI",
                GIB)), "cuda", null, true, free(64 * GIB, 79 * GIB), () -> 1, new PrintWriter(new StringWriter()));
        assertEquals("cuda:0", cur.placement().label());
        assertEquals(2, cur.needs().size(), "cuda:0 and the host");
        assertEquals(GIB, cur.need("cuda:0").extra());
        assertEquals("f32", cur.computeDtype(), "f32 unless --dtype says otherwise, on a GPU too");
        assertEquals(79 * GIB, cur.need("cuda:0").available());
        assertEquals("f32", MemoryPlan.prepare(request(c, null, 200, 1000), "cpu", null, true, free(128 * GIB),
                () -> 0, new PrintWriter(new StringWriter())).computeDtype());
    }

    @Test
    void placementsParseAndRefuseBadLists() {
        assertEquals("cuda:0[0-39],cuda:1[40-79]", Placement.parse("cuda:0,cuda:1", null, 80).label());
        assertEquals("cuda:0[0-29],cuda:1[30-79]", Placement.parse("cuda", "30,50", 80).label());
        assertEquals("cuda:2[0-1],cuda:3[2-4]", Placement.parse("cuda:2", "2,3", 5).label());
        assertEquals("cpu[0-2],cpu[3-4]", Placement.parse("cpu,cpu", null, 5).label());
        assertEquals("cuda:0", Placement.parse("cuda", null, 5).label());
        assertEquals(3, Placement.parse("cpu,cpu,cpu", null, 7).blocks().get(2).from() - 2);
        for (String[] bad : new String[][] {{"cuda:0,cuda:1", "30,30"}, {"cuda:0,cuda:1", "80"}, {"gpu", null},
                {"cuda:0,,cuda:1", null}, {"cuda:0,cuda:1", "0,80"}, {"cuda:0,cuda:1", "a,b"}}) {
            MipeaksException e = assertThrows(MipeaksException.class, () -> Placement.parse(bad[0], bad[1], 80));
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
            assertTrue(e.getMessage().startsWith("--"), e.getMessage());
        }
        Placement p = Placement.parse("cuda:0,cuda:1", "30,50", 80);
        assertEquals("cuda:0", p.deviceOf(29));
        assertEquals("cuda:1", p.deviceOf(30));
        assertNotNull(p.last());
    }
}
