package dev.mipeaks.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.SharedData;
import dev.mipeaks.model.LlamaModel;
import dev.mipeaks.model.MemoryPlan;
import dev.mipeaks.model.ModelSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One model session: config and tokenizer at open, the memory plan of a workload, the weights it owns. */
class ModelSessionTest {
    @TempDir
    Path tmp;

    private final StringWriter log = new StringWriter();
    private final PrintWriter err = new PrintWriter(log, true);

    private static ModelSession.Request cpu(Path dir) {
        return new ModelSession.Request(ModelSource.folder(dir), "cpu", null, null, true);
    }

    @Test
    void opensPlansLoadsAndUnloads() {
        Path dir = SharedData.require("models/tiny-qwen2");
        try (ModelSession s = ModelSession.open(cpu(dir))) {
            assertNotNull(s.tokenizer());
            assertSame(s.tokenizer(), s.requireTokenizer("unused"));
            assertEquals(s.source().config().numLayers(), s.config().numLayers());
            assertThrows(IllegalStateException.class, s::model, "no weights before load");
            MemoryPlan plan = s.plan(s.workload(1, 5, 7), err);
            assertTrue(log.toString().contains("prompt 5 + max new tokens 7"), log.toString());
            LlamaModel m = s.load(plan);
            assertSame(m, s.model());
            assertThrows(IllegalStateException.class, () -> s.load(plan), "loaded twice");
            s.unload();
            assertThrows(IllegalStateException.class, s::model);
            assertSame(s.load(plan), s.model(), "loads again after unload");
        }
    }

    @Test
    void theWorkloadIsCheckedAgainstTheModelBeforeAnythingLoads() {
        Path dir = SharedData.require("models/tiny-qwen2");
        try (ModelSession s = ModelSession.open(cpu(dir))) {
            int max = s.config().maxPositionEmbeddings();
            MipeaksException e = assertThrows(MipeaksException.class, () -> s.plan(s.workload(1, max, 1), err));
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains(Integer.toString(max)), e.getMessage());
            assertThrows(IllegalStateException.class, s::model);
        }
    }

    @Test
    void aModelWithoutTokenizerOpensAndSaysWhyOneIsNeeded() throws Exception {
        Path src = SharedData.require("models/tiny-qwen2");
        Path bare = tmp.resolve("bare");
        Files.createDirectories(bare);
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(src.resolve(f), bare.resolve(f));
        }
        try (ModelSession s = ModelSession.open(cpu(bare))) {
            assertNull(s.tokenizer());
            MipeaksException e = assertThrows(MipeaksException.class, () -> s.requireTokenizer("problems are text"));
            assertEquals(bare.resolve("tokenizer.json") + ": no such file (problems are text)", e.getMessage());
        }
    }
}
