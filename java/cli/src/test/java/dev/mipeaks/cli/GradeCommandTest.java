package dev.mipeaks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradeCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    Path data;
    StringWriter out;
    StringWriter err;

    @BeforeEach
    void setUp() {
        data = Path.of(System.getProperty("mipeaks.shared", "../../shared"), "data");
        if (!Files.isDirectory(data)) {
            System.out.println("SKIP: no shared data at " + data.toAbsolutePath());
        }
        Assumptions.assumeTrue(Files.isDirectory(data), "no shared data at " + data.toAbsolutePath());
        out = new StringWriter();
        err = new StringWriter();
    }

    int run(String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    List<JsonNode> math500(int n) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String s : Files.readAllLines(data.resolve("math500/test.jsonl")).subList(0, n)) {
            rows.add(JSON.readTree(s));
        }
        return rows;
    }

    @Test
    void gradesResponsesAndWritesVerdictsAndSummary(@TempDir Path dir) throws Exception {
        List<JsonNode> rows = math500(20);
        StringBuilder preds = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            String answer = rows.get(i).get("answer").asText();
            if (i % 2 == 0) {
                p.put("index", i);
                p.put("response", "Reasoning... so the result is $\\boxed{" + answer + "}$.");
            } else {
                p.put("id", rows.get(i).get("unique_id").asText());
                p.put("response", "I think it is \\boxed{wrong" + i + "}");
            }
            preds.append(JSON.writeValueAsString(p)).append('\n');
        }
        Path pf = dir.resolve("preds.jsonl");
        Files.writeString(pf, preds);
        Path vf = dir.resolve("out/verdicts.jsonl");
        int code = run("grade", "--predictions", pf.toString(), "--dataset", "math500", "--data-dir", data.toString(),
                "--out", vf.toString(), "--threads", "2");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("50.0% (10/20)"), out.toString());
        List<String> lines = Files.readAllLines(vf);
        assertEquals(20, lines.size());
        JsonNode v0 = JSON.readTree(lines.get(0));
        assertEquals(0, v0.get("index").asInt());
        assertTrue(v0.get("correct").asBoolean());
        assertEquals("string", v0.get("rule").asText());
        assertEquals("boxed", v0.get("extraction").asText());
        // one name per concept: "answer" is the ground truth, as in problems/*.json and the rr/ttts/suppress lines
        assertEquals(java.util.List.of("index", "id", "prediction", "answer", "correct", "rules", "rule", "extraction",
                "reason", "subject", "level"), fieldNames(v0));
        assertEquals(rows.get(0).get("answer").asText(), v0.get("answer").asText());
        JsonNode v1 = JSON.readTree(lines.get(1));
        assertEquals(false, v1.get("correct").asBoolean());
        assertEquals("wrong1", v1.get("prediction").asText());
        JsonNode summary = JSON.readTree(dir.resolve("out/summary.json").toFile());
        assertEquals(20, summary.get("total").asInt());
        assertEquals(10, summary.get("correct").asInt());
        assertEquals(0.5, summary.get("accuracy").asDouble(), 1e-12);
        int levelTotal = 0;
        for (JsonNode c : summary.get("by_level")) {
            levelTotal += c.get("total").asInt();
        }
        assertEquals(20, levelTotal);
        assertTrue(summary.get("by_subject").has("Precalculus"));
    }

    @Test
    void predictionFieldAndGsm8k(@TempDir Path dir) throws Exception {
        Path pf = dir.resolve("p.jsonl");
        Files.writeString(pf, "{\"index\":0,\"prediction\":\"18\"}\n{\"index\":1,\"prediction\":\"4\"}\n");
        int code = run("grade", "--predictions", pf.toString(), "--dataset", "gsm8k", "--data-dir", data.toString(),
                "--field", "prediction", "--no-cas");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("50.0% (1/2)"), out.toString());
    }

    @Test
    void badInputIsExitTwoWithFileAndLine(@TempDir Path dir) throws Exception {
        Path pf = dir.resolve("bad.jsonl");
        Files.writeString(pf, "{\"index\":0,\"response\":\"\\\\boxed{1}\"}\n{\"index\": 7\n");
        assertEquals(2, run("grade", "--predictions", pf.toString(), "--dataset", "math500", "--data-dir", data.toString()));
        assertTrue(err.toString().contains("bad.jsonl:2: invalid JSON"), err.toString());

        err.getBuffer().setLength(0);
        Files.writeString(pf, "{\"index\":9999,\"response\":\"1\"}\n");
        assertEquals(2, run("grade", "--predictions", pf.toString(), "--dataset", "math500", "--data-dir", data.toString()));
        assertTrue(err.toString().contains("bad.jsonl:1: index 9999 is not a row"), err.toString());

        err.getBuffer().setLength(0);
        Files.writeString(pf, "{\"response\":\"1\"}\n");
        assertEquals(2, run("grade", "--predictions", pf.toString(), "--dataset", "aime24", "--data-dir", data.toString()));
        assertTrue(err.toString().contains("no 'index' or 'id'"), err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, run("grade", "--predictions", pf.toString(), "--dataset", "nosuch", "--data-dir", data.toString()));
        assertTrue(err.toString().contains("nosuch"), err.toString());
    }
}
