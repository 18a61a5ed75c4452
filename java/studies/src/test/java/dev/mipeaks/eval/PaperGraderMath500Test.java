package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.SharedData;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The paper rules on all of MATH-500, against what the reference's own functions return for it
 * (resources/dev/mipeaks/eval/paper-grader-math500.json: strip_string of every answer, extract_answer of every
 * solution, math_equal of every solution's answer against the ground truth).
 */
class PaperGraderMath500Test {
    @Test
    void matchesTheReferenceOnEveryRow() throws Exception {
        Path file = SharedData.require("data").resolve("math500/test.jsonl");
        ObjectMapper json = new ObjectMapper();
        JsonNode want;
        try (InputStream in = getClass().getResourceAsStream("paper-grader-math500.json")) {
            want = json.readTree(in);
        }
        List<JsonNode> rows = new ArrayList<>();
        for (String s : Files.readAllLines(file)) {
            rows.add(json.readTree(s));
        }
        assertEquals(500, rows.size());
        try (PaperGrader g = new PaperGrader()) {
            for (int i = 0; i < rows.size(); i++) {
                String answer = rows.get(i).get("answer").asText();
                String solution = rows.get(i).get("solution").asText();
                assertEquals(want.get("strip_string").get(i).asText(), PaperNormalizer.stripString(answer, false),
                        "row " + i + " strip_string(" + answer + ")");
                String extracted = PaperExtractor.extract(solution).answer();
                assertEquals(want.get("extract_answer").get(i).asText(), extracted, "row " + i + " extract_answer");
                boolean equal = g.mathEqual(PaperNormalizer.stripString(extracted, false), PaperGrader.groundTruth(answer));
                assertEquals(want.get("math_equal_solution").get(i).asBoolean(), equal, "row " + i + " math_equal");
            }
            assertTrue(g.grade(rows.get(0).get("solution").asText(), rows.get(0).get("answer").asText()).correct());
        }
    }
}
