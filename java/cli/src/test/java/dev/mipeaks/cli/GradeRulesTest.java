package dev.mipeaks.cli;

import static dev.mipeaks.CliResult.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grade --rules strict|paper}: the same predictions, graded under each rule set, verdicts naming it. */
class GradeRulesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A dataset and predictions with one line per case: {id, answer, response}. */
    static void write(Path data, Path preds, String[][] cases) throws Exception {
        StringBuilder d = new StringBuilder();
        StringBuilder p = new StringBuilder();
        for (String[] c : cases) {
            d.append(JSON.writeValueAsString(java.util.Map.of("id", c[0], "problem", "p", "answer", c[1]))).append('\n');
            p.append(JSON.writeValueAsString(java.util.Map.of("id", c[0], "response", c[2]))).append('\n');
        }
        Files.writeString(data, d);
        Files.writeString(preds, p);
    }

    @Test
    void paperRulesAcceptWhatTheStrictOnesReject(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("set.jsonl");
        Path preds = dir.resolve("preds.jsonl");
        write(data, preds, new String[][] { // id, answer, response
                {"a", "13535", "so \\boxed{13,536}"},
                {"b", "[1,2]", "so \\boxed{(1,2)}"},
                {"c", "5", "so \\boxed{500}"},
                {"d", "7", "so \\boxed{7}"}});
        CliResult strict = run("grade", "--predictions", preds.toString(), "--dataset", data.toString(),
                "--out", dir.resolve("s/verdicts.jsonl").toString());
        assertEquals(0, strict.code(), strict.err());
        assertTrue(strict.out().contains("25.0% (1/4)"), strict.out());
        assertTrue(strict.out().contains("rules: strict"), strict.out());
        CliResult paper = run("grade", "--predictions", preds.toString(), "--dataset", data.toString(),
                "--rules", "paper", "--out", dir.resolve("p/verdicts.jsonl").toString());
        assertEquals(0, paper.code(), paper.err());
        assertTrue(paper.out().contains("100.0% (4/4)"), paper.out());
        List<String> lines = Files.readAllLines(dir.resolve("p/verdicts.jsonl"));
        assertEquals(4, lines.size());
        for (String l : lines) {
            JsonNode v = JSON.readTree(l);
            assertEquals("paper", v.get("rules").asText(), l);
            assertTrue(v.get("correct").asBoolean(), l);
        }
        assertEquals("numeric", JSON.readTree(lines.get(0)).get("rule").asText());
        assertEquals("tuple", JSON.readTree(lines.get(1)).get("rule").asText());
        assertEquals("strict", JSON.readTree(Files.readAllLines(dir.resolve("s/verdicts.jsonl")).get(0))
                .get("rules").asText());
        assertEquals("paper", JSON.readTree(Files.readString(dir.resolve("p/summary.json"))).get("rules").asText());
    }

    @Test
    void unknownRulesAreAnInputError(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("set.jsonl");
        Path preds = dir.resolve("preds.jsonl");
        write(data, preds, new String[][] {{"a", "1", "1"}});
        CliResult r = run("grade", "--predictions", preds.toString(), "--dataset", data.toString(), "--rules", "lenient");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--rules lenient: expected strict or paper"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
