package dev.mipeaks.cli;

import static dev.mipeaks.CliResult.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.CliResult;
import dev.mipeaks.analysis.AnalysisTestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** peaks, report and compare end to end on synthetic runs, plus the refusal and bad-input cases. */
class AnalysisCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void peaksReportCompareEndToEnd() throws Exception {
        Path a = AnalysisTestRuns.synthetic(tmp.resolve("runA"), 1, 1.0, List.of(3));
        Path b = AnalysisTestRuns.synthetic(tmp.resolve("runB"), 2, 1.5, List.of());

        CliResult r = run("peaks", a.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5 problems analysed, 1 skipped"), r.out());
        for (String f : List.of("peaks.jsonl", "stats.json", "thinking_tokens.jsonl")) {
            assertTrue(Files.isRegularFile(a.resolve(f)), f);
        }
        List<String> peakLines = Files.readAllLines(a.resolve("peaks.jsonl"));
        assertEquals(5 * 2, peakLines.size());                       // 5 ok problems x 2 layers
        JsonNode first = JSON.readTree(peakLines.get(0));
        assertEquals(0, first.get("index").asInt());
        assertEquals(2, first.get("layer").asInt());
        assertEquals(20, first.get("topk").get("peak_steps").size());
        assertEquals(20, AnalysisTestRuns.stepsInRankOrder(first.get("topk")).length);   // in step order, ranked
        assertEquals(first.get("iqr").get("peak_steps").size(), first.get("iqr").get("tokens").size());
        // synthetic MI is high exactly at the thinking words (ids 0-5), so every IQR peak is one of them
        for (String line : peakLines) {
            for (JsonNode t : JSON.readTree(line).get("iqr").get("tokens")) {
                assertTrue(List.of("So", " So", "Wait", " Wait", "Hmm", "\n\n").contains(t.asText()), t.asText());
            }
        }
        JsonNode stats = JSON.readTree(a.resolve("stats.json").toFile());
        assertEquals(1, stats.get("problems").get("skipped").asInt());
        assertEquals(1, stats.get("problems").get("skipped_reasons").get("prompt too long").asInt());
        assertEquals(2, stats.get("per_layer").size());
        assertFalse(Files.readString(a.resolve("stats.json")).contains("NaN"));
        JsonNode tt = JSON.readTree(Files.readAllLines(a.resolve("thinking_tokens.jsonl")).get(0));
        assertTrue(tt.has("word") && tt.has("freq") && tt.get("token_ids").isArray());

        r = run("report", a.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(a.resolve("report.md"));
        assertTrue(md.contains("(plots/trajectories.png)") && md.contains("Table 1") && md.contains("AOM"), md);
        assertTrue(md.contains("No vocabulary was available"));
        assertTrue(md.contains("| prompt too long | 1 |"));
        for (String p : List.of("trajectories", "mi_per_layer", "thinking_tokens", "mi_histogram")) {
            Path png = a.resolve("plots/" + p + ".png");
            assertTrue(ImageIO.read(png.toFile()).getWidth() > 100, p);
            assertTrue(Files.readString(a.resolve("plots/" + p + ".svg")).contains("<svg"), p);
        }

        Path out = tmp.resolve("cmp");
        r = run("compare", a.toString(), b.toString(), "--out", out.toString(), "--force");
        assertEquals(0, r.code(), r.err());      // runA skipped problem 3, so --force is needed
        assertTrue(r.err().contains("problems differ"), r.err());
        String cmp = Files.readString(out.resolve("compare.md"));
        assertTrue(cmp.contains("| runA |") && cmp.contains("| runB |"), cmp);
        assertTrue(ImageIO.read(out.resolve("plots/mi_histograms.png").toFile()).getWidth() > 100);
        assertTrue(Files.isRegularFile(out.resolve("plots/trajectories.svg")));
        assertTrue(JSON.readTree(out.resolve("compare.json").toFile()).get("runs").has("runB"));
    }

    @Test
    void compareRefusesRunsThatDoNotMatch() throws Exception {
        Path a = AnalysisTestRuns.synthetic(tmp.resolve("a"), 1, 1.0, List.of(3));
        Path b = AnalysisTestRuns.synthetic(tmp.resolve("b"), 2, 1.0, List.of());
        CliResult r = run("compare", a.toString(), b.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("problems differ") && r.err().contains("'test/p3'"), r.err());
        assertTrue(r.err().contains("--force"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Path c = AnalysisTestRuns.withLayers(tmp.resolve("c"), List.of(2, 7));
        Path d = AnalysisTestRuns.synthetic(tmp.resolve("d"), 3, 1.0, List.of());
        r = run("compare", c.toString(), d.toString(), "--out", tmp.resolve("o2").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("layers differ"), r.err());

        // same problems, layers and estimator: accepted without --force
        Path e = AnalysisTestRuns.synthetic(tmp.resolve("e"), 4, 2.0, List.of());
        r = run("compare", d.toString(), e.toString(), "--out", tmp.resolve("o3").toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void badInputIsOneLineExitTwo() throws Exception {
        Path notRun = Files.createDirectories(tmp.resolve("empty"));
        CliResult r = run("peaks", notRun.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a run folder (no config.json)"), r.err());
        assertEquals(1, r.err().strip().lines().count());

        Path a = AnalysisTestRuns.synthetic(tmp.resolve("bad"), 1, 1.0, List.of());
        Path p1 = a.resolve("problems/00001.json");
        JsonNode n = JSON.readTree(p1.toFile());
        ((com.fasterxml.jackson.databind.node.ArrayNode) n.get("mi").get("5")).remove(0);
        Files.writeString(p1, JSON.writeValueAsString(n));
        r = run("peaks", a.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("00001.json") && r.err().contains("'mi.5'") && r.err().contains("'tokens'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Path b = AnalysisTestRuns.synthetic(tmp.resolve("nan"), 1, 1.0, List.of());
        Path p2 = b.resolve("problems/00002.json");
        String text = Files.readString(p2);
        int at = text.indexOf("\"2\":[") + 5;
        Files.writeString(p2, text.substring(0, at) + "NaN," + text.substring(text.indexOf(',', at) + 1));
        r = run("report", b.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("00002.json") && r.err().contains("'mi.2'[0] is NaN"), r.err());

        r = run("peaks", b.toString(), "--layer", "9");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--layer 9"), r.err());
        r = run("peaks", b.toString(), "--rule", "max");
        assertEquals(2, r.code());
    }

    @Test
    void topFivePeaksOfTheSharedGoldenRun() throws Exception {
        Path g = AnalysisTestRuns.goldenOrSkip(tmp.resolve("golden"));
        CliResult r = run("peaks", g.toString(), "--top-k", "5", "--rule", "topk");
        assertEquals(0, r.code(), r.err());
        int[][][] want = AnalysisTestRuns.goldenTop5();
        for (String line : Files.readAllLines(g.resolve("peaks.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            int[] got = AnalysisTestRuns.stepsInRankOrder(n.get("topk"));
            assertArrayEquals(want[n.get("index").asInt()][n.get("layer").asInt()], got, line);
        }
    }
}
