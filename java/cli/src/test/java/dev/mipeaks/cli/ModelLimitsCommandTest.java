package dev.mipeaks.cli;

import static dev.mipeaks.CliResult.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.CliProcess;
import dev.mipeaks.CliResult;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.model.HubLayout;
import dev.mipeaks.model.RandomCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model commands against their limits: a Hugging Face id from a hub cache, the memory plan printed before loading,
 * runs refused for positions or memory (exit 2 with the numbers), and no spill files left on any exit path.
 * Uses small random checkpoints written here (no shared data needed).
 */
class ModelLimitsCommandTest {
    @TempDir
    Path tmp;

    /** A random 2-layer Llama; {@code maxPositions} replaces its max_position_embeddings, no eos when asked. */
    Path model(String name, long maxPositions, boolean eos) throws IOException {
        Path dir = tmp.resolve(name);
        RandomCheckpoint.write(dir, new RandomCheckpoint.Shape(64, 128, 2, 4, 4, 256), DType.F32, 3);
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        c.put("max_position_embeddings", maxPositions);
        if (!eos) {
            c.remove("eos_token_id");
        }
        Files.writeString(dir.resolve("config.json"), json.writeValueAsString(c));
        return dir;
    }

    static List<String> hidden(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void theMemoryPlanIsPrintedBeforeLoading() throws Exception {
        Path m = model("m", 4096, true);
        Path out = tmp.resolve("o").resolve("t.safetensors");
        CliResult r = run("trace", "--model", m.toString(), "--prompt-ids", "1,2,3", "--max-new-tokens", "5", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("memory plan: prompt 3 + max new tokens 5 = 8 positions (max_position_embeddings "
                + "4096), batch 1, f32 compute, 2 of 2 layers captured (f32)"), r.err());
        // KV cache: 2 layers x 2 x 4 kv heads x 16 x 8 positions x 4 bytes
        assertTrue(r.err().contains("  cpu     model: weights ") && r.err().contains("KV cache 8.0 KiB"), r.err());
        // 5 steps x 2 layers x 64 x 4 bytes
        assertTrue(r.err().contains("  disk    captured states 2.5 KiB (x2 while the file is assembled)"), r.err());
    }

    @Test
    void positionsBeyondTheModelAreExit2WithBothNumbersAndLeaveNothing() throws Exception {
        Path m = model("m", 4096, true);
        Path outDir = tmp.resolve("o");
        CliResult r = run("trace", "--model", m.toString(), "--prompt-ids", "1,2,3", "--max-new-tokens", "100000000",
                "--out", outDir.resolve("t.safetensors").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("mipeaks: error: prompt 3 + max new tokens 100000000 = 100000003 positions, more "
                + "than the model's max_position_embeddings 4096 (config.json)"), r.err());
        assertFalse(Files.exists(outDir) && !hidden(outDir).isEmpty(), "no spill files");
    }

    @Test
    void aRunNoMachineCanHoldIsRefusedBeforeLoadingUnlessTheCheckIsOff() throws Exception {
        // 2 billion positions: a 2 TB KV cache (and 2 TB of captured states on disk)
        Path m = model("m", Integer.MAX_VALUE, true);
        Path outDir = tmp.resolve("o");
        CliResult r = run("trace", "--model", m.toString(), "--prompt-ids", "1,2,3", "--max-new-tokens", "2000000000",
                "--out", outDir.resolve("t.safetensors").toString());
        assertEquals(2, r.code(), r.err());
        String err = r.err();
        assertTrue(err.contains("DOES NOT FIT"), err);
        assertTrue(err.contains("mipeaks: error: memory plan: "), err);
        assertTrue(err.contains("--no-memory-check"), err);
        assertFalse(err.contains("model loaded") || err.contains("trace:"), err);
        assertFalse(Files.exists(outDir) && !hidden(outDir).isEmpty(), "no spill files");
    }

    @Test
    void aHuggingFaceIdRunsFromTheHubCacheAndIsRecorded() throws Exception {
        Path m = model("m", 4096, true);
        Path cache = tmp.resolve("hub");
        String commit = HubLayout.commit("c1");
        HubLayout.add(cache, "acme/tiny", "main", commit, m);
        Path out = tmp.resolve("t.safetensors");
        Path log = tmp.resolve("log.txt");
        int code = CliProcess.run(List.of("trace", "--model", "acme/tiny", "--prompt-ids", "1,2,3",
                "--max-new-tokens", "4", "--out", out.toString()), log, Map.of("HF_HUB_CACHE", cache.toString()));
        assertEquals(0, code, Files.readString(log));
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertEquals("acme/tiny", f.metadata().get("model"));
            assertEquals(commit, f.metadata().get("model_snapshot"));
        }
        // not in that cache: exit 2 naming where it looked and how to download it
        code = CliProcess.run(List.of("trace", "--model", "acme/other", "--prompt-ids", "1", "--out", out.toString()),
                log, Map.of("HF_HUB_CACHE", cache.toString()));
        String text = Files.readString(log);
        assertEquals(2, code, text);
        assertTrue(text.contains(cache.resolve("models--acme--other").resolve("refs").resolve("main").toString())
                && text.contains("`huggingface-cli download acme/other`"), text);
        assertFalse(text.contains("\tat "), "no stack trace: " + text);
    }

    @Test
    void ctrlCLeavesNoSpillFiles() throws Exception {
        Path m = model("m", 4096, false);
        Path outDir = tmp.resolve("o");
        Path out = outDir.resolve("t.safetensors");
        Path log = tmp.resolve("log.txt");
        Process p = CliProcess.start(List.of("trace", "--model", m.toString(), "--prompt-ids", "1,2,3",
                "--max-new-tokens", "4000", "--out", out.toString()), log);
        CliProcess.interruptWhen(p, log, "spill files with states", () -> {
            try {
                List<String> h = hidden(outDir);
                return h.size() == 2 && h.stream().allMatch(n -> n.endsWith(".spill"))
                        && Files.size(outDir.resolve(h.get(0))) > 0;
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals(130, p.exitValue(), Files.readString(log));
        assertEquals(List.of(), hidden(outDir), "spill files deleted on Ctrl-C");
        assertFalse(Files.exists(out), "no partial output");
    }
}
