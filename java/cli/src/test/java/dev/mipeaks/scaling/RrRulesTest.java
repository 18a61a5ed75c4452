package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.SharedData;
import dev.mipeaks.cli.Main;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.eval.Graders;
import dev.mipeaks.eval.VerdictFields;
import dev.mipeaks.study.RunFolder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rr --rules paper}: every answer graded under both rule sets, the headline under the paper's. */
class RrRulesTest {
    @Test
    void rrWithPaperRulesReportsBothSideBySide(@TempDir Path tmp) throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        Path out = tmp.resolve("rr");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), "rr", "--model", model.toString(), "--dataset",
                "gsm8k", "--data-dir", SharedData.require("data").toString(), "--limit", "2", "--layer", "1",
                "--max-new-tokens", "8", "--trigger-ids", "199,262,283", "--rules", "paper", "--out", out.toString());
        assertEquals(0, code, e.toString());
        assertTrue(o.toString().contains("under paper rules") && o.toString().contains("under strict rules"),
                o.toString());
        JsonNode m = RunFolder.JSON.readTree(out.resolve(RunFolder.METRICS).toFile());
        assertEquals("paper", m.path("rules").asText());
        assertEquals(m.path("accuracy").asDouble(), m.path("accuracy_by_rules").path("paper").asDouble());
        assertTrue(m.path("accuracy_by_rules").has("strict"), m.toString());
        assertTrue(Files.readString(out.resolve(RunFolder.REPORT)).contains("| | paper rules | strict rules |"));
        List<String> lines = Files.readAllLines(out.resolve(RunFolder.RESULTS));
        assertEquals(2, lines.size());
        try (Graders g = Graders.defaults("deepseek-math")) {
            for (String s : lines) {
                JsonNode l = RunFolder.JSON.readTree(s);
                assertEquals("paper", l.path("rules").asText());
                String gt = l.path("answer").asText();
                assertTrue(!gt.isEmpty() && !l.has("ground_truth"), s);   // one name for the ground truth
                // the stored verdicts are what each rule set says of the stored response
                Map<GradingRules, dev.mipeaks.eval.Verdict> want = g.gradeAll(l.path("response").asText(), gt);
                for (GradingRules r : GradingRules.values()) {
                    var v = VerdictFields.read(l, r, gt);
                    assertEquals(want.get(r).correct(), v.correct(), r + " " + s);
                    assertEquals(want.get(r).prediction(), v.prediction(), r + " " + s);
                    assertEquals(r.label(), l.path("by_rules").path(r.label()).path("rules").asText());
                }
                assertEquals(l.path("correct"), l.path("by_rules").path("paper").path("correct"));
            }
        }
    }

    /** A results line of an older run (strict verdict only, no "rules") still counts under the strict rules. */
    @Test
    void oldLinesCountUnderTheStrictRulesOnly() throws Exception {
        JsonNode old = RunFolder.JSON.readTree("{\"index\": 0, \"id\": \"x\", \"ground_truth\": \"2\", \"prediction\":"
                + " \"2\", \"correct\": true, \"rule\": \"string\", \"extraction\": \"boxed\"}");
        RrSummary.Totals t = RrSummary.totals(List.of(old), "d", GradingRules.PAPER);
        assertEquals(0, t.byRules().get(GradingRules.PAPER).overall().total());
        assertEquals(1, t.byRules().get(GradingRules.STRICT).overall().correct());
        assertEquals("2", Grading.record(old).answer());   // the ground truth under its old name still reads
        JsonNode both = RunFolder.JSON.readTree("{\"answer\": \"7\", \"ground_truth\": \"2\"}");
        assertEquals("7", Grading.record(both).answer());  // the current name wins
    }
}
