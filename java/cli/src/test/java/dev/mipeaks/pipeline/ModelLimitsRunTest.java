package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.CliProcess;
import dev.mipeaks.CliResult;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.model.HubLayout;
import dev.mipeaks.study.RunFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} and {@code rr} against the model's limits: a problem too long for the model's positions is skipped
 * with its numbers, a budget no problem fits is exit 2 before loading, and a run of a Hugging Face id records its
 * snapshot and refuses to resume against another one. Demo model (byte tokenizer, 4096 positions), no shared data.
 */
class ModelLimitsRunTest {
    @TempDir
    Path tmp;

    static List<String> run(String model, Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--model", model, "--dataset", data.toString(), "--layers",
                "last", "--max-new-tokens", "4", "--threads", "1", "--device", "cpu", "--no-report", "--out",
                out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    /** Two short demo problems and, between them, one whose prompt alone is longer than the model's positions. */
    Path dataWithALongProblem() throws Exception {
        Path data = PipelineRuns.demoProblems(tmp.resolve("data/p.jsonl"), 2);
        List<String> lines = new ArrayList<>(Files.readAllLines(data));
        lines.add(1, "{\"unique_id\": \"long\", \"problem\": \"" + "1 + ".repeat(1100) + "1\", \"solution\": "
                + "\"\\\\boxed{1101}\", \"answer\": \"1101\"}");
        Files.write(data, lines, StandardCharsets.UTF_8);
        return data;
    }

    @Test
    void aProblemLongerThanThePositionsIsSkippedWithItsNumbers() throws Exception {
        Path model = PipelineRuns.demoModel(tmp.resolve("model"));
        Path data = dataWithALongProblem();
        Path out = tmp.resolve("run");
        CliResult r = CliResult.run(run(model.toString(), data, out).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("memory plan: longest ") && r.err().contains(" positions (max_position_embeddings 4096)"),
                r.err());
        List<String> manifest = Files.readAllLines(out.resolve(RunLayout.MANIFEST));
        assertEquals(3, manifest.size(), manifest.toString());
        JsonNode skipped = RunFolder.JSON.readTree(manifest.get(1));
        assertEquals(RunLayout.STATUS_SKIPPED, skipped.path("status").asText(), manifest.get(1));
        assertEquals("prompt 4401 tokens + max new tokens 4 = 4405 positions, more than the model's "
                + "max_position_embeddings 4096", skipped.path("reason").asText());
        assertEquals(RunLayout.STATUS_OK, RunFolder.JSON.readTree(manifest.get(2)).path("status").asText());

        // a budget no problem fits: exit 2 before the model loads, with the numbers
        List<String> args = run(model.toString(), data, tmp.resolve("none"));
        args.set(args.indexOf("--max-new-tokens") + 1, "5000");
        CliResult none = CliResult.run(args.toArray(String[]::new));
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("mipeaks: error: shortest prompt ") && none.err().contains(" + max new tokens "
                + "5000 = ") && none.err().contains("positions, more than the model's max_position_embeddings 4096"),
                none.err());
    }

    @Test
    void rrRefusesAPromptThatDoesNotFitNamingItsRow() throws Exception {
        Path model = PipelineRuns.demoModel(tmp.resolve("model"));
        Path data = dataWithALongProblem();
        CliResult r = CliResult.run("rr", "--model", model.toString(), "--dataset", data.toString(),
                "--trigger-ids", "5", "--layer", "1", "--max-new-tokens", "8", "--out", tmp.resolve("rr").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("mipeaks: error: longest prompt ") && r.err().contains("(p.jsonl row 1, id long)")
                && r.err().contains("+ max new tokens 8 = ") && r.err().contains("max_position_embeddings 4096"), r.err());
    }

    @Test
    void aHubModelRunRecordsItsSnapshotAndRefusesToResumeAgainstAnother() throws Exception {
        Path model = PipelineRuns.demoModel(tmp.resolve("model"));
        Path data = PipelineRuns.demoProblems(tmp.resolve("data/p.jsonl"), 1);
        Path cache = tmp.resolve("hub");
        String c1 = HubLayout.commit("c1");
        HubLayout.add(cache, "acme/demo", "main", c1, model);
        Map<String, String> env = Map.of("HF_HUB_CACHE", cache.toString());
        Path out = tmp.resolve("run");
        Path log = tmp.resolve("log.txt");
        int code = CliProcess.run(run("acme/demo", data, out), log, env);
        assertEquals(0, code, Files.readString(log));
        JsonNode cfg = RunFolder.JSON.readTree(out.resolve(RunLayout.CONFIG).toFile());
        assertEquals("acme/demo", cfg.path("model").asText());
        assertEquals(c1, cfg.path("model_snapshot").asText());

        // main now names another snapshot (same files, another commit): the folder is refused naming the field
        String c2 = HubLayout.commit("c2");
        HubLayout.add(cache, "acme/demo", "main", c2, model);
        code = CliProcess.run(run("acme/demo", data, out), log, env);
        String text = Files.readString(log);
        assertEquals(2, code, text);
        assertTrue(text.contains("field 'model_snapshot' is \"" + c1 + "\" but this run has \"" + c2 + "\""), text);
        // pinning the recorded commit resumes (nothing left to do)
        code = CliProcess.run(run("acme/demo@" + c1, data, out), log, env);
        assertEquals(0, code, Files.readString(log));
        assertTrue(Files.readString(log).contains("1 resumed"), Files.readString(log));
    }
}
