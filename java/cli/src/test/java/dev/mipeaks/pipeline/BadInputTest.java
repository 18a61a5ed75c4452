package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.CliResult;
import dev.mipeaks.analysis.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code mipeaks run}: one-line exit-2 errors, or skipped rows that the report counts. */
class BadInputTest {
    @TempDir
    static Path tmp;

    static Path model;

    @BeforeAll
    static void demoModel() throws IOException {
        model = PipelineRuns.demoModel(tmp.resolve("model"));
    }

    static CliResult run(Path modelDir, Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--model", modelDir.toString(), "--dataset", data.toString(),
                "--max-new-tokens", "4", "--threads", "1", "--out", out.toString()));
        a.addAll(List.of(extra));
        return CliResult.run(a.toArray(String[]::new));
    }

    static void assertOneLineError(CliResult r, int code, String... fragments) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("mipeaks: error: "), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' in: " + r.err());
        }
    }

    @Test
    void rowWithoutSolutionIsSkippedAndCounted() throws IOException {
        Path data = tmp.resolve("nosol.jsonl");
        Files.writeString(data, """
                {"unique_id": "a", "problem": "What is 1 + 1?", "solution": "1 + 1 = 2, so $\\\\boxed{2}$.", "answer": "2"}
                {"unique_id": "b", "problem": "What is 2 + 2?", "answer": "4"}
                {"unique_id": "c", "problem": "What is 3 + 3?", "solution": "6 is $\\\\boxed{6}$.", "answer": "6"}
                """);
        Path out = tmp.resolve("nosol");
        CliResult r = run(model, data, out);
        assertEquals(0, r.code(), r.err());
        List<String> manifest = Files.readAllLines(out.resolve(RunLayout.MANIFEST));
        assertEquals(3, manifest.size());
        assertTrue(manifest.get(1).contains("\"status\":\"skipped\"") && manifest.get(1).contains("no solution text"),
                manifest.get(1));
        assertTrue(r.err().contains("1 skipped"), r.err());
        String report = Files.readString(out.resolve(RunLayout.REPORT));
        assertTrue(report.contains("| problems analysed | 2 |") && report.contains("| problems skipped | 1 |"), report);
        assertTrue(report.contains("no solution text"), "skip reason listed in the report");
        assertEquals(List.of("00000.json", "00000.safetensors", "00002.json", "00002.safetensors"),
                PipelineRuns.problemFiles(out));
    }

    @Test
    void emptyProblemIsAnErrorNamingTheLine() throws IOException {
        Path data = tmp.resolve("empty.jsonl");
        Files.writeString(data, """
                {"unique_id": "a", "problem": "What is 1 + 1?", "solution": "2", "answer": "2"}
                {"unique_id": "b", "problem": "  ", "solution": "4", "answer": "4"}
                """);
        Path out = tmp.resolve("empty");
        assertOneLineError(run(model, data, out), 2, data + ":2:", "no problem text");
        assertTrue(!Files.exists(out.resolve(RunLayout.MANIFEST)), "nothing ran");
    }

    @Test
    void modelWithoutTokenizerIsAnError() throws IOException {
        Path bare = tmp.resolve("bare-model");
        Files.createDirectories(bare);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(model.resolve(f), bare.resolve(f));
        }
        Path data = PipelineRuns.demoProblems(tmp.resolve("d/problems.jsonl"), 2);
        assertOneLineError(run(bare, data, tmp.resolve("notok")), 2, bare.resolve("tokenizer.json").toString());
    }

    @Test
    void foreignOrOtherConfigOutputFolderIsAnError() throws IOException {
        Path data = PipelineRuns.demoProblems(tmp.resolve("d2/problems.jsonl"), 1);
        Path out = tmp.resolve("cfg");
        assertEquals(0, run(model, data, out, "--no-report").code());
        assertOneLineError(run(model, data, out, "--no-report", "--state-dtype", "bf16"), 2,
                "config.json: field 'state_dtype' is \"F32\" but this run has \"BF16\"");
        assertOneLineError(run(model, data, out, "--no-report", "--prompt-template", "deepseek-math"), 2,
                "field 'prompt_template'");
        // the same problems in another order are another dataset
        Path other = PipelineRuns.demoProblems(tmp.resolve("d3/problems.jsonl"), 2);
        assertOneLineError(run(model, other, out, "--no-report"), 2, "field 'dataset'");

        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve(RunLayout.MANIFEST), "{\"index\":0}\n");
        assertOneLineError(run(model, data, foreign), 2, "no config.json");
    }

    @Test
    void badOptionsAreOneLineErrors() throws IOException {
        Path data = PipelineRuns.demoProblems(tmp.resolve("d4/problems.jsonl"), 1);
        assertOneLineError(run(model, data, tmp.resolve("o1"), "--shard", "2/2"), 2, "--shard 2/2");
        assertOneLineError(run(model, data, tmp.resolve("o2"), "--layers", "9"), 2, "layer 9 outside [0, 4)");
        assertOneLineError(run(model, data, tmp.resolve("o3"), "--estimator", "nope"), 2, "unknown estimator 'nope'");
        // exit 3 in one line; which reason comes first depends on whether this build has kernels (nvcc present)
        CliResult cuda = run(model, data, tmp.resolve("o4"), "--device", "cuda");
        assertOneLineError(cuda, 3);
        assertTrue(cuda.err().contains("no CUDA device") || cuda.err().contains("kernels not built"), cuda.err());
        assertOneLineError(run(model, tmp.resolve("missing.jsonl"), tmp.resolve("o5")), 2, "missing.jsonl");
    }

    @Test
    void nanStatesSkipTheProblemWithAReason() throws IOException {
        // the demo model with NaN down-projection weights in its last layer: every state after layer 3 is NaN
        Path nan = tmp.resolve("nan-model");
        Files.createDirectories(nan);
        for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
            Files.copy(model.resolve(f), nan.resolve(f));
        }
        dev.mipeaks.io.SafetensorsWriter w = new dev.mipeaks.io.SafetensorsWriter();
        try (dev.mipeaks.io.SafetensorsFile f = dev.mipeaks.io.SafetensorsFile.open(model.resolve("model.safetensors"))) {
            for (var t : f.tensors().values()) {
                if (t.name().equals("model.layers.3.mlp.down_proj.weight")) {
                    float[] v = new float[(int) t.numel()];
                    java.util.Arrays.fill(v, Float.NaN);
                    w.addF32(t.name(), t.shape(), v);
                } else {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (t.end() - t.begin()));
                    b.put(f.data(t.name()).duplicate()).flip();
                    w.add(t.name(), t.dtype(), t.shape(), b);
                }
            }
        }
        w.write(nan.resolve("model.safetensors"));
        Path data = PipelineRuns.demoProblems(tmp.resolve("d5/problems.jsonl"), 1);
        Path out = tmp.resolve("nan");
        CliResult r = run(nan, data, out, "--layers", "2,3");
        assertEquals(0, r.code(), r.err());
        String line = Files.readAllLines(out.resolve(RunLayout.MANIFEST)).get(0);
        assertTrue(line.contains("\"status\":\"skipped\"") && line.contains("non-finite") && line.contains("layer 3"), line);
        assertTrue(!Files.exists(out.resolve(RunLayout.problemTensors(0))), "no tensors file for a skipped problem");
    }

    @Test
    void anUnfinishedManifestLineIsDroppedOnResume() throws IOException {
        Path data = PipelineRuns.demoProblems(tmp.resolve("d6/problems.jsonl"), 2);
        Path out = tmp.resolve("partial");
        assertEquals(0, run(model, data, out, "--no-report", "--limit", "1").code());
        // a process killed in the middle of appending problem 1's line
        Files.writeString(out.resolve(RunLayout.MANIFEST), "{\"index\":1,\"id\":\"p", java.nio.file.StandardOpenOption.APPEND);
        Path reference = tmp.resolve("partial-ref");
        assertEquals(0, run(model, data, reference, "--no-report", "--limit", "1").code());
        CliResult r = run(model, data, out, "--no-report", "--limit", "1");
        assertEquals(0, r.code(), r.err());
        PipelineRuns.assertSameResults(reference, out, false);
    }

    @Test
    void badGenerationOptionsLeaveTheFolderUntouched() throws IOException {
        Path data = PipelineRuns.demoProblems(tmp.resolve("d7/problems.jsonl"), 1);
        Path out = tmp.resolve("poison");
        assertOneLineError(run(model, data, out, "--temperature", "-1"), 2, "--temperature -1.0: must be >= 0");
        assertOneLineError(run(model, data, out, "--top-p", "1.5"), 2, "--top-p 1.5: must be in (0, 1]");
        assertOneLineError(run(model, data, out, "--top-p", "0"), 2, "--top-p 0.0");
        // the analysis layer must be a captured one: refused before generation, not after it
        assertOneLineError(run(model, data, out, "--layers", "1,2", "--layer", "99"), 2,
                "--layer 99: not one of the captured layers [1, 2]");
        // a model device that would fail only when the model loads (after config.json fixed compute_dtype)
        assertOneLineError(run(model, data, out, "--model-device", "gpu"), 2, "--model-device gpu: expected cpu, cuda");
        CliResult cuda = run(model, data, out, "--model-device", "cuda", "--no-report");
        if (cuda.code() != 0) { // a machine without CUDA LibTorch: refused up front
            assertOneLineError(cuda, 3, "--model-device cuda: LibTorch sees no CUDA device");
        }
        assertTrue(cuda.code() == 0 || !Files.exists(out), "nothing written");
        // the corrected command runs
        Path fixed = cuda.code() == 0 ? tmp.resolve("poison-fixed") : out;
        CliResult r = run(model, data, fixed, "--no-report", "--temperature", "0.7", "--top-p", "0.9");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, Files.readAllLines(fixed.resolve(RunLayout.MANIFEST)).size());
    }

    @Test
    void aFolderOfTheUsersIsNeverWrittenWithoutForce() throws IOException {
        Path data = PipelineRuns.demoProblems(tmp.resolve("d8/problems.jsonl"), 1);
        Path mine = tmp.resolve("my-files");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("notes.txt"), "precious");
        assertOneLineError(run(model, data, mine, "--no-report"), 2, "--out " + mine.toAbsolutePath().normalize()
                + ": a non-empty folder (1 entry, e.g. 'notes.txt') without config.json", "--force");
        try (var s = Files.list(mine)) {
            assertEquals(List.of(mine.resolve("notes.txt")), s.toList(), "nothing added");
        }
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertOneLineError(run(model, data, file), 2, "exists and is not a folder");
        assertOneLineError(run(model, data, model, "--no-report"), 2, "is an input (--model");
        CliResult forced = run(model, data, mine, "--no-report", "--force");
        assertEquals(0, forced.code(), forced.err());
        assertEquals("precious", Files.readString(mine.resolve("notes.txt")));
        assertEquals(1, Files.readAllLines(mine.resolve(RunLayout.MANIFEST)).size());
        // a run folder now: resuming needs no --force
        assertEquals(0, run(model, data, mine, "--no-report").code());
    }

    @Test
    void aDatasetThatIsNotUtf8NamesFileAndLine() throws IOException {
        Path data = tmp.resolve("latin1.jsonl");
        Files.write(data, ("{\"unique_id\": \"a\", \"problem\": \"1 + 1?\", \"solution\": \"2\", \"answer\": \"2\"}\n"
                + "{\"unique_id\": \"b\", \"problem\": \"caf\u00e9?\", \"solution\": \"2\", \"answer\": \"2\"}\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path out = tmp.resolve("latin1");
        assertOneLineError(run(model, data, out), 2, data + ":2: not UTF-8 text (byte 0xE9");
        assertTrue(!Files.exists(out), "nothing written");
    }
}
