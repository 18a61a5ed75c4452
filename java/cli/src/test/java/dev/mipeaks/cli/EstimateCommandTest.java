package dev.mipeaks.cli;

import static dev.mipeaks.CliResult.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.CliResult;
import dev.mipeaks.SharedData;
import dev.mipeaks.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimateCommandTest {
    @TempDir
    Path dir;

    @Test
    void estimatesParityRowsAsJsonLines() throws IOException {
        Path pairs = SharedData.require("parity/mi_pairs.safetensors");
        JsonNode expected = new ObjectMapper().readTree(pairs.resolveSibling("mi_expected.json").toFile());
        Path out = dir.resolve("out.jsonl");
        CliResult r = run("estimate", "--pairs", pairs.toString(), "--x", "m512.x", "--y", "m512.y", "--out", out.toString(),
                "--threads", "2");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(10, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (JsonNode c : expected.get("cases")) {
            if (!c.get("tensor").asText().equals("m512")) {
                continue;
            }
            JsonNode row = json.readTree(lines.get(c.get("row").asInt()));
            assertEquals(c.get("row").asInt(), row.get("row").asInt());
            assertEquals("nhsic", row.get("estimator").asText());
            assertEquals(50.0, row.get("sigma").asDouble());
            assertTrue(row.get("rank_x").asInt() > 0);
            assertEquals(c.get("nhsic_sigma50").asDouble(), row.get("value").asDouble(), 1e-8);
        }
    }

    @Test
    void oneYRowPairsWithEveryXRowAndParametersReachTheEstimator() throws IOException {
        Path f = dir.resolve("p.safetensors");
        new SafetensorsWriter()
                .addF32("x", new long[] {3, 4}, new float[] {1, 2, 3, 4, 4, 3, 2, 1, 1, 1, 2, 2})
                .addF32("y", new long[] {1, 4}, new float[] {1, 2, 3, 5})
                .write(f);
        CliResult r = run("estimate", "--pairs", f.toString(), "--x", "x", "--y", "y", "--estimator", "cka-linear", "--quiet");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[1].contains("\"estimator\":\"cka-linear\""), lines[1]);
        CliResult s = run("estimate", "--pairs", f.toString(), "--x", "x", "--y", "y", "--sigma", "median", "--eps", "1e-3", "--quiet");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("\"sigma\":\"median\"") && s.out().contains("\"eps\":0.001"), s.out());
        // --tol, as 'mipeaks estimators' lists it, reaches the estimator too
        CliResult t = run("estimate", "--pairs", f.toString(), "--x", "x", "--y", "y", "--tol", "0.25", "--quiet");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("\"tol\":0.25"), t.out());
    }

    @Test
    void badInputIsOneLineWithExitCode2() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        float[] x = new float[12];
        x[7] = Float.NaN;
        new SafetensorsWriter()
                .addF32("x", new long[] {3, 4}, x)
                .addF32("y", new long[] {3, 4}, new float[12])
                .addF32("y2", new long[] {2, 4}, new float[8])
                .addF32("short", new long[] {3, 1}, new float[3])
                .addF32("y5", new long[] {3, 5}, new float[15])
                .write(f);
        String p = f.toString();
        assertBad(run("estimate", "--pairs", p, "--x", "x", "--y", "y"), "row 1, column 3 is NaN");
        assertBad(run("estimate", "--pairs", p, "--x", "x", "--y", "y2"), "row count mismatch");
        assertBad(run("estimate", "--pairs", p, "--x", "x", "--y", "y5"), "length mismatch");
        assertBad(run("estimate", "--pairs", p, "--x", "short", "--y", "short"), "need m >= 2");
        assertBad(run("estimate", "--pairs", p, "--x", "x", "--y", "nope"), "no tensor 'nope'");
        assertBad(run("estimate", "--pairs", p, "--x", "x", "--y", "y", "--estimator", "mine"), "unknown estimator 'mine'");
        assertBad(run("estimate", "--pairs", p, "--x", "x", "--y", "y", "--sigma", "wide"), "parameter 'sigma'");
        assertBad(run("estimate", "--pairs", p, "--x", "x", "--y", "y", "--estimator", "cka-linear", "--eps", "1e-5"),
                "has no parameter 'eps'");
        assertBad(run("estimate", "--pairs", dir.resolve("missing.safetensors").toString(), "--x", "x", "--y", "y"),
                "no such file");
        assertBad(run("estimate", "--pairs", p), "Missing required argument");
    }

    private static void assertBad(CliResult r, String needle) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(needle), "expected '" + needle + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void estimatorsListsEveryRegisteredEstimatorWithParameters() {
        CliResult r = run("estimators");
        assertEquals(0, r.code());
        for (String name : new String[] {"nhsic", "hsic", "cka-linear", "cka-rbf", "nhsic-ref", "nhsic-paper-f32"}) {
            assertTrue(r.out().contains(name), name);
        }
        assertTrue(r.out().contains("--sigma") && r.out().contains("--eps"));
    }

    @Test
    void debugShowsTheStackTrace() {
        CliResult r = run("estimate", "--debug", "--pairs", dir.resolve("missing.safetensors").toString(), "--x", "a", "--y", "b");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}
