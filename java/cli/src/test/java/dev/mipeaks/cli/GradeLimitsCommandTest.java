package dev.mipeaks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.eval.AdversarialAnswers;
import dev.mipeaks.eval.Rule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grade} on the adversarial set, as files (no shared data needed): the run finishes, every verdict line is
 * there, the prescribed verdicts hold and undecided answers carry their reason. Before the per-answer budget the
 * same file ran for more than ten minutes.
 */
class GradeLimitsCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void adversarialFileIsGradedWithReasons(@TempDir Path dir) throws Exception {
        List<AdversarialAnswers.Case> cases = AdversarialAnswers.cases();
        AdversarialAnswers.writeFiles(cases, dir);
        Path vf = dir.resolve("out/verdicts.jsonl");
        int code = run("grade", "--predictions", dir.resolve("predictions.jsonl").toString(),
                "--dataset", dir.resolve("dataset.jsonl").toString(), "--out", vf.toString(), "--threads", "2");
        assertEquals(0, code, err.toString());
        List<String> lines = Files.readAllLines(vf);
        assertEquals(cases.size(), lines.size());
        int undecided = 0;
        for (int i = 0; i < cases.size(); i++) {
            AdversarialAnswers.Case c = cases.get(i);
            JsonNode v = JSON.readTree(lines.get(i));
            String where = c.name() + ": " + lines.get(i).substring(0, Math.min(300, lines.get(i).length()));
            assertEquals(i, v.get("index").asInt(), where);
            assertTrue(v.has("reason"), where);
            if (c.correct() != null) {
                assertEquals(c.correct(), v.get("correct").asBoolean(), where);
            }
            if (c.rule() != null) {
                assertEquals(c.rule().label(), v.get("rule").asText(), where);
            }
            String rule = v.get("rule").asText();
            if (rule.equals("undecided") || rule.equals("timeout")) {
                assertFalse(v.get("correct").asBoolean(), where);
                assertFalse(v.get("reason").isNull(), where);
                undecided += rule.equals("undecided") ? 1 : 0;
            } else {
                assertTrue(v.get("reason").isNull(), where);
            }
        }
        assertTrue(undecided >= 5, "undecided: " + undecided);
        JsonNode summary = JSON.readTree(dir.resolve("out/summary.json").toFile());
        assertEquals(cases.size(), summary.get("total").asInt());
        assertEquals(undecided, summary.get("by_rule").get(Rule.UNDECIDED.label()).asInt());
    }

    @Test
    void limitsAreChecked(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("d.jsonl"), "{\"problem\":\"p\",\"answer\":\"5\"}\n");
        Files.writeString(dir.resolve("p.jsonl"), "{\"index\":0,\"prediction\":\"" + "5".repeat(30) + "\"}\n");
        String[] base = {"grade", "--predictions", dir.resolve("p.jsonl").toString(), "--dataset",
            dir.resolve("d.jsonl").toString()};
        assertEquals(2, run(concat(base, "--budget", "0")));
        assertTrue(err.toString().contains("--budget must be a number of seconds > 0, got 0.0"), err.toString());
        assertEquals(2, run(concat(base, "--budget", "NaN")));
        assertEquals(2, run(concat(base, "--max-answer-chars", "0")));
        assertTrue(err.toString().contains("--max-answer-chars must be >= 1, got 0"), err.toString());
        Path vf = dir.resolve("v.jsonl");
        assertEquals(0, run(concat(base, "--max-answer-chars", "20", "--out", vf.toString())), err.toString());
        JsonNode v = JSON.readTree(Files.readString(vf));
        assertEquals("undecided", v.get("rule").asText());
        assertEquals("answer has 30 characters, over the 20-character cap", v.get("reason").asText());
    }

    /**
     * In a fresh JVM the CAS's start-up (Symja's tables, an engine's first evaluations: seconds) used to run inside
     * the first comparison's timeout, so the first answers needing the CAS timed out; it is not their time now.
     */
    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void casStartUpIsNotTheFirstAnswersTime(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("d.jsonl"), "{\"problem\":\"p\",\"answer\":\"\\\\frac{\\\\sqrt{3}}{2}\"}\n"
                + "{\"problem\":\"q\",\"answer\":\"x^2+2x+1\"}\n");
        Files.writeString(dir.resolve("p.jsonl"), "{\"index\":0,\"prediction\":\"\\\\frac{1}{2}\\\\sqrt{3}\"}\n"
                + "{\"index\":1,\"prediction\":\"(x+1)^2\"}\n");
        Path vf = dir.resolve("v.jsonl");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.mipeaks.cli.Main", "grade",
                "--predictions", dir.resolve("p.jsonl").toString(), "--dataset", dir.resolve("d.jsonl").toString(),
                "--cas-timeout", "1", "--budget", "2", "--out", vf.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        for (String line : Files.readAllLines(vf)) {
            JsonNode v = JSON.readTree(line);
            assertEquals("cas", v.get("rule").asText(), line);
            assertTrue(v.get("correct").asBoolean(), line);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
