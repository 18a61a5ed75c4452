package dev.mipeaks.scaling;

import static dev.mipeaks.CliResult.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.CliResult;
import dev.mipeaks.SharedData;
import dev.mipeaks.CliProcess;
import dev.mipeaks.report.TttsReport;
import dev.mipeaks.study.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code mipeaks rr} and {@code mipeaks ttts} end to end: outputs, resuming, configuration mismatches, bad input. */
class ScalingCommandsTest {
    @TempDir
    Path tmp;

    static String data() {
        return SharedData.require("data").toString();
    }

    static List<String> rr(Path model, String dataset, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("rr", "--model", model.toString(), "--dataset", dataset, "--data-dir",
                data(), "--layer", "1", "--max-new-tokens", "8", "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    static List<String> ttts(Path model, String dataset, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("ttts", "--model", model.toString(), "--dataset", dataset, "--data-dir",
                data(), "--thinking-token", "Wait", "--budget", "2,4", "--base-budget", "4", "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    static List<String> lines(Path results) throws Exception {
        return Files.readAllLines(results);
    }

    @ParameterizedTest
    @ValueSource(strings = {"math500", "aime24", "gsm8k"})
    void rrBaselineAndTttsWriteCompleteOutputs(String dataset) throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        // rr with the default table (words mapped through the byte-level tokenizer)
        Path rr = tmp.resolve("rr");
        CliResult r = run(rr(model, dataset, rr, "--limit", "1").toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        // the byte-level tokenizer spells only "I" as one token: said, with the words that map to nothing
        assertTrue(r.err().contains("trigger id from 1 of 10 words (mapped through the model's tokenizer): \"I\" ("), r.err());
        assertTrue(r.err().contains("no single-token id: \"So\", \"Let\", \"Hmm\", \"The\""), r.err());
        assertEquals(1, r.err().split("9 of 10 trigger words have no single-token id", -1).length - 1, r.err());
        assertTrue(r.err().contains("rr: 1/1 problems") && r.err().contains("ETA"), r.err());
        assertRunFolder(rr, 1);
        JsonNode line = RunFolder.JSON.readTree(lines(rr.resolve(RunFolder.RESULTS)).get(0));
        for (String f : List.of("response", "prediction", "correct", "recycled_steps", "regular_steps", "token_ids")) {
            assertTrue(line.has(f), f);
        }
        assertEquals(line.path("generated_tokens").asInt(), line.path("recycled_steps").asInt()
                + line.path("regular_steps").asInt());
        // one name per concept (README "Output files and fields"): answer = the ground truth, generated_tokens a count
        List<String> names = new java.util.ArrayList<>();
        line.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("index", "id", "answer", "subject", "level", "response", "rules", "prediction", "correct",
                "rule", "extraction", "reason", "by_rules", "prompt_tokens", "generated_tokens", "recycled_steps",
                "regular_steps", "trigger_candidates", "recycled_at", "stop_reason", "prefill_ms", "decode_ms",
                "token_ids").stream().filter(f -> line.has(f)).toList(), names);
        assertTrue(line.has("answer") && !line.has("ground_truth"), line.toString());
        JsonNode cfg = RunFolder.JSON.readTree(rr.resolve(RunFolder.CONFIG).toFile());
        assertEquals("mapped", cfg.path("trigger_source").asText());
        assertEquals(dataset, cfg.path("dataset").asText());
        JsonNode metrics = RunFolder.JSON.readTree(rr.resolve(RunFolder.METRICS).toFile());
        String report = Files.readString(rr.resolve(RunFolder.REPORT));
        assertTrue(report.contains("> **Warning:** 9 of 10 trigger words have no single-token id"), report);
        boolean fired = metrics.path("trigger_candidates").asLong() > 0;
        assertEquals(fired, metrics.path("triggers_fired").asBoolean());
        assertEquals(!fired, r.err().contains("the triggers never fired"), r.err());
        assertEquals(!fired, report.contains("the triggers never fired"), report);
        assertTrue(report.contains("No greedy baseline compared"), report);

        Path base = tmp.resolve("baseline");
        r = run(rr(model, dataset, base, "--limit", "1", "--probability", "0").toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertRunFolder(base, 1);
        JsonNode b = RunFolder.JSON.readTree(lines(base.resolve(RunFolder.RESULTS)).get(0));
        assertEquals(0, b.path("recycled_steps").asInt());
        assertTrue(Files.readString(base.resolve(RunFolder.REPORT)).contains("Baseline run"));
        // the recycled folder again (nothing left to run) against the greedy baseline
        r = run(rr(model, dataset, rr, "--limit", "1", "--baseline", base.toString()).toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        report = Files.readString(rr.resolve(RunFolder.REPORT));
        assertTrue(report.contains("## Recycled vs greedy baseline") && report.contains("| accuracy | "), report);
        metrics = RunFolder.JSON.readTree(rr.resolve(RunFolder.METRICS).toFile());
        assertEquals(1, metrics.path("baseline").path("problems").asInt(), metrics.toString());
        if (!fired) {
            assertEquals(1, metrics.path("baseline").path("identical_outputs").asInt(), "never fired = greedy");
        }
        // a folder written before the field names were unified ("ground_truth") still resumes and reports its answers
        String answer = line.path("answer").asText();
        Path results = rr.resolve(RunFolder.RESULTS);
        Files.writeString(results, Files.readString(results).replace("\"answer\":", "\"ground_truth\":"));
        r = run(rr(model, dataset, rr, "--limit", "1").toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(rr.resolve(RunFolder.REPORT)).contains(" | " + dev.mipeaks.report.Markdown.cell(line.path("prediction").asText("")) + " | " + dev.mipeaks.report.Markdown.cell(answer) + " | "),
                "old-style line's answer in the report");
        assertEquals(1, lines(results).size());
        // a baseline must be a greedy run of the same setting
        r = run(rr(model, dataset, base, "--limit", "1", "--probability", "0", "--baseline", rr.toString())
                .toArray(new String[0]));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--baseline " + rr + ": field 'probability' is 0.5"), r.err());

        Path tt = tmp.resolve("ttts");
        r = run(ttts(model, dataset, tt, "--limit", "1").toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertRunFolder(tt, 2);
        assertTrue(Files.size(tt.resolve(TttsReport.PLOTS).resolve(TttsReport.FIGURE + ".png")) > 1000);
        assertTrue(Files.readString(tt.resolve(RunFolder.REPORT)).contains("| `\"Wait\"` |"));
    }

    private static void assertRunFolder(Path dir, int lines) throws Exception {
        for (String f : List.of(RunFolder.CONFIG, RunFolder.RESULTS, RunFolder.METRICS, RunFolder.REPORT)) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), dir + "/" + f);
        }
        assertEquals(lines, lines(dir.resolve(RunFolder.RESULTS)).size());
        JsonNode m = RunFolder.JSON.readTree(dir.resolve(RunFolder.METRICS).toFile());
        assertTrue(m.has("tokens_per_second"), m.toString());
        try (var s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void rrResumesAndRefusesAnotherConfiguration() throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        Path out = tmp.resolve("rr");
        CliResult a = run(rr(model, "gsm8k", out, "--limit", "1", "--trigger-ids", "199,262,283").toArray(new String[0]));
        assertEquals(0, a.code(), a.err());
        String first = lines(out.resolve(RunFolder.RESULTS)).get(0);
        CliResult b = run(rr(model, "gsm8k", out, "--limit", "2", "--trigger-ids", "283,199,262").toArray(new String[0]));
        assertEquals(0, b.code(), b.err());
        assertTrue(b.err().contains("resuming: 1 of 2"), b.err());
        List<String> l = lines(out.resolve(RunFolder.RESULTS));
        assertEquals(2, l.size());
        assertEquals(first, l.get(0), "the finished line is kept as it was");
        assertEquals(1, RunFolder.JSON.readTree(l.get(1)).path("index").asInt());
        assertEquals(2, RunFolder.JSON.readTree(out.resolve(RunFolder.METRICS).toFile()).path("problems").asInt());

        CliResult c = run(rr(model, "gsm8k", out, "--limit", "2", "--trigger-ids", "199,262,283", "--seed", "1")
                .toArray(new String[0]));
        assertEquals(2, c.code());
        assertTrue(c.err().contains("field 'seed' is 0 but this run has 1"), c.err());
        assertEquals(1, c.err().lines().filter(x -> x.startsWith("mipeaks:")).count(), c.err());
        assertFalse(c.err().contains("\tat "), "no stack trace");
        assertEquals(2, lines(out.resolve(RunFolder.RESULTS)).size());
    }

    /** Ctrl-C: exit 130, a line that says what is kept, the finished lines intact; the same command resumes. */
    @Test
    void rrInterruptedBySigintSaysWhatIsKeptAndResumes() throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        Path out = tmp.resolve("rr-int");
        Path results = out.resolve(RunFolder.RESULTS);
        List<String> args = rr(model, "gsm8k", out, "--limit", "100", "--trigger-ids", "199,262,283");
        Path log = tmp.resolve("rr-int.log");
        Process p = CliProcess.start(args, log);
        CliProcess.interruptWhen(p, log, "a finished problem", () -> CliProcess.lineCount(results) >= 1);
        String text = Files.readString(log);
        int kept = lines(results).size();
        System.out.println("rr interrupted after " + kept + " of 100 problems; exit " + p.exitValue());
        assertEquals(130, p.exitValue(), text);
        assertTrue(kept < 100, "rr finished before the signal arrived; nothing was interrupted");
        assertTrue(text.contains("rr: interrupted: ") && text.contains("rerun the same command to resume"), text);
        for (String l : lines(results)) {
            RunFolder.JSON.readTree(l);  // every kept line is whole
        }
        CliResult r = run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("resuming: " + kept + " of 100"), r.err());
        assertEquals(100, lines(results).size());
    }

    @Test
    void tttsResumesAndRefusesOtherBudgets() throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        Path out = tmp.resolve("ttts");
        CliResult a = run(ttts(model, "aime24", out, "--limit", "1").toArray(new String[0]));
        assertEquals(0, a.code(), a.err());
        List<String> before = lines(out.resolve(RunFolder.RESULTS));
        CliResult b = run(ttts(model, "aime24", out, "--limit", "2").toArray(new String[0]));
        assertEquals(0, b.code(), b.err());
        List<String> after = lines(out.resolve(RunFolder.RESULTS));
        assertEquals(4, after.size());
        assertEquals(before, after.subList(0, 2));
        CliResult c = run(ttts(model, "aime24", out, "--limit", "2").stream().map(s -> s.equals("2,4") ? "2,8" : s)
                .toArray(String[]::new));
        assertEquals(2, c.code());
        assertTrue(c.err().contains("field 'budgets' is [2,4] but this run has [2,8]"), c.err());
    }

    @Test
    void badOptionsAreExit2WithOneLine() throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        List<String> args = new ArrayList<>(List.of("rr", "--model", model.toString(), "--dataset", "math500",
                "--data-dir", data(), "--limit", "1", "--out", tmp.resolve("b").toString()));
        // an index the 3-layer model does not have
        List<String> layer23 = new ArrayList<>(args);
        layer23.addAll(List.of("--layer", "23"));
        CliResult r = run(layer23.toArray(new String[0]));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--layer 23: outside [0, 3)"), r.err());
        assertFalse(Files.exists(tmp.resolve("b").resolve(RunFolder.RESULTS)));
        List<String> badLayer = new ArrayList<>(args);
        badLayer.addAll(List.of("--layer", "half"));
        r = run(badLayer.toArray(new String[0]));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--layer half: expected a layer index, mid, or a fraction of depth"), r.err());

        // the default is relative to the depth: the paper's 23 of 32 = 0.72 is layer 2 of this model's 3
        r = run("rr", "--model", model.toString(), "--dataset", "math500", "--data-dir", data(), "--limit", "1",
                "--trigger-ids", "1", "--max-new-tokens", "4", "--out", tmp.resolve("default-layer").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("rr: recycling layer 2 of 3 (--layer 0.72)"), r.err());

        Path stories = SharedData.require("models/stories260k");
        r = run(rr(stories, "math500", tmp.resolve("c"), "--limit", "1", "--trigger-ids", "1").toArray(new String[0]));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("tokenizer.json: no such file"), r.err());

        r = run(ttts(model, "math500", tmp.resolve("d"), "--limit", "1").stream().map(s -> s.equals("2,4") ? "4,4" : s)
                .toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--budget 4 given twice"), r.err());

        r = run(rr(model, "math500", tmp.resolve("e"), "--limit", "1", "--trigger-ids", "999").toArray(new String[0]));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--trigger-ids: 999 outside the model's vocabulary [0, 384)"), r.err());
    }
}
