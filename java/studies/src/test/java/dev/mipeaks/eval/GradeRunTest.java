package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GradeRun}: a grading request to its result and files, without the command line. */
class GradeRunTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** {@code file} holding one line per element of {@code lines}. */
    private static Path jsonl(Path file, String... lines) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return Files.writeString(file, sb);
    }

    private static Path dataset(Path dir) throws Exception {
        return jsonl(dir.resolve("set.jsonl"),
                "{\"id\": \"a\", \"problem\": \"p\", \"answer\": \"13535\", \"level\": 2}",
                "{\"id\": \"b\", \"problem\": \"p\", \"answer\": \"\\\\frac{1}{2}\"}",
                "{\"id\": \"c\", \"problem\": \"p\", \"answer\": \"5\"}");
    }

    private static GradeRun.Request request(Path preds, Path data, String field, Path out, GradingRules rules) {
        return new GradeRun.Request(preds, data.toString(), null, null, field, out, 2.0, true, 10.0, 10000, 2, rules);
    }

    @Test
    void gradesInTheOrderOfThePredictionsAndWritesVerdictsAndSummary(@TempDir Path dir) throws Exception {
        Path data = dataset(dir);
        Path preds = jsonl(dir.resolve("preds.jsonl"),
                "{\"id\": \"c\", \"response\": \"so \\\\boxed{5}\"}",
                "",
                "{\"index\": 1, \"prediction\": \"0.5\"}",
                "{\"id\": \"a\", \"response\": \"so \\\\boxed{13,536}\"}");
        Path out = dir.resolve("o/verdicts.jsonl");
        GradeRun.Result r = GradeRun.grade(request(preds, data, null, out, GradingRules.STRICT));

        assertEquals(List.of("c", "b", "a"), r.graded().stream().map(g -> g.record().id()).toList());
        assertEquals(List.of(1L, 3L, 4L), r.graded().stream().map(GradeRun.Graded::line).toList());
        assertEquals(List.of(true, true, false), r.graded().stream().map(g -> g.verdict().correct()).toList());
        assertEquals(2, r.summary().overall().correct());
        assertEquals(3, r.summary().overall().total());
        assertEquals(GradingRules.STRICT, r.rules());
        assertTrue(r.format().endsWith("  rules: strict" + System.lineSeparator()), r.format());
        assertTrue(r.format().startsWith(r.summary().format()), r.format());

        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(List.of("index", "id", "prediction", "answer", "correct", "rules", "rule", "extraction", "reason",
                "subject", "level"), iterable(first));
        assertEquals(2, first.get("index").asInt());
        assertEquals("5", first.get("answer").asText());
        assertTrue(first.get("correct").asBoolean());
        JsonNode summary = JSON.readTree(Files.readString(GradeRun.summaryFile(out)));
        assertEquals("strict", summary.get("rules").asText());
        assertEquals(out.toAbsolutePath().getParent().resolve("summary.json"), GradeRun.summaryFile(out));
    }

    @Test
    void withoutOutNothingIsWrittenAndPaperRulesDecide(@TempDir Path dir) throws Exception {
        Path data = dataset(dir);
        Path preds = dir.resolve("preds.jsonl");
        Files.writeString(preds, "{\"id\": \"a\", \"response\": \"so \\\\boxed{13,535}\"}\n");
        GradeRun.Result r = GradeRun.grade(request(preds, data, "response", null, GradingRules.PAPER));
        assertEquals(1, r.graded().size());
        assertTrue(r.graded().get(0).verdict().correct());
        assertTrue(r.format().endsWith("  rules: paper" + System.lineSeparator()), r.format());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "only the two inputs");
        }
    }

    @Test
    void badRequestsAndLinesAreInputErrorsNamingTheirPlace(@TempDir Path dir) throws Exception {
        Path data = dataset(dir);
        Path preds = dir.resolve("preds.jsonl");
        Files.writeString(preds, "{\"id\": \"a\", \"response\": \"1\"}\n{\"id\": \"zz\", \"response\": \"1\"}\n");
        assertInvalid(() -> GradeRun.grade(request(preds, data, null, null, GradingRules.STRICT)),
                preds + ":2: id 'zz' is not in");
        assertInvalid(() -> GradeRun.grade(request(preds, data, "answer", null, GradingRules.STRICT)),
                "--field must be response or prediction, got 'answer'");
        assertInvalid(() -> GradeRun.grade(request(preds, data, null, dir.resolve("summary.json"), GradingRules.STRICT)),
                "summary.json is the name of the summary");
        assertInvalid(() -> GradeRun.grade(request(preds, data, null, preds, GradingRules.STRICT)), "--out");
        assertInvalid(() -> GradeRun.grade(new GradeRun.Request(preds, data.toString(), null, null, null, null, 2.0,
                true, 10.0, 10000, 0, GradingRules.STRICT)), "--threads must be >= 1, got 0");
        assertFalse(Files.exists(dir.resolve("summary.json")));
    }

    private static void assertInvalid(org.junit.jupiter.api.function.Executable call, String message) {
        MipeaksException e = assertThrows(MipeaksException.class, call);
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static List<String> iterable(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
