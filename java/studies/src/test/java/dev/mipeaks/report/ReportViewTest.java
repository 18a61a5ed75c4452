package dev.mipeaks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.JsonFields;
import dev.mipeaks.analysis.LogitLens;
import dev.mipeaks.analysis.PeakRule;
import dev.mipeaks.analysis.RunAnalysis;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.analysis.RunOutputs;
import dev.mipeaks.analysis.RunReader;
import dev.mipeaks.analysis.SigmaSweep;
import dev.mipeaks.analysis.SweepJson;
import dev.mipeaks.analysis.SyntheticRun;
import dev.mipeaks.analysis.ThinkingTokens;
import dev.mipeaks.analysis.TokenText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.md shows what the folder holds (lens, sigma sweep), warns about top-k, respects --rule and special tokens. */
class ReportViewTest {
    @TempDir
    Path tmp;

    static final AnalysisOptions IQR_ONLY = new AnalysisOptions(20, List.of(PeakRule.IQR), null, 12);

    @Test
    void topKWarningWhenKIsAQuarterOfTheSteps() throws Exception {
        SyntheticRun s = new SyntheticRun();
        s.minSteps = 30;
        s.maxSteps = 90;
        Path dir = s.write(tmp.resolve("r"));
        RunAnalysis k20 = RunAnalysis.analyze(RunReader.open(dir), AnalysisOptions.defaults());
        RunAnalysis.TopKCoverage c = k20.topKCoverage();
        int expected = 0;
        for (RunAnalysis.ProblemPeaks p : k20.problems()) {
            expected += 20 >= 0.25 * p.steps() ? 1 : 0;
        }
        assertTrue(expected > 0);
        assertEquals(expected, c.flagged());
        assertTrue(k20.topKWarning().startsWith("top-20 marks >= 25% of the steps in " + expected + " of 6 problems"),
                k20.topKWarning());
        RunReport.write(dir, AnalysisOptions.defaults(), null);
        assertTrue(Files.readString(dir.resolve(RunLayout.REPORT)).contains("> **Warning:** top-20 marks"));
        // k = 5 covers less than a quarter of 30+ steps; with --rule iqr there is no top-k to warn about
        assertNull(RunAnalysis.analyze(RunReader.open(dir), new AnalysisOptions(5, List.of(PeakRule.IQR, PeakRule.TOPK),
                null, 1)).topKWarning());
        assertNull(RunAnalysis.analyze(RunReader.open(dir), IQR_ONLY).topKWarning());
        RunReport.write(dir, IQR_ONLY, null);
        String md = Files.readString(dir.resolve(RunLayout.REPORT));
        assertFalse(md.contains("Warning"), md);
        assertFalse(md.contains("Orange rings"), "--rule iqr: no top-k in the text either");
    }

    @Test
    void theEosARunStoppedOnIsNoThinkingTokenUnlessIncluded() throws Exception {
        SyntheticRun s = new SyntheticRun();
        s.endWithEos = true;
        Path dir = s.write(tmp.resolve("eos"));
        RunOutputs.Written w = RunOutputs.peaks(dir, IQR_ONLY, SyntheticRun.VOCABULARY, List.of(), null, 1);
        assertFalse(w.tokens().stream().anyMatch(r -> r.word().equals(".")), "the stop token left out");
        assertEquals(6, w.analysis().thinkingTokens().excluded(SyntheticRun.VOCABULARY));
        JsonNode stats = JsonFields.readFile(dir.resolve(RunLayout.STATS));
        assertEquals(6, stats.path("thinking_tokens").path("special_steps_left_out").asInt());
        AnalysisOptions keep = new AnalysisOptions(20, List.of(PeakRule.IQR), null, 12, true);
        w = RunOutputs.peaks(dir, keep, SyntheticRun.VOCABULARY, List.of(), null, 1);
        ThinkingTokens.Row dot = w.tokens().stream().filter(r -> r.word().equals(".")).findFirst().orElseThrow();
        assertEquals(6, dot.freq());
        RunReport.write(dir, IQR_ONLY, SyntheticRun.VOCABULARY);
        assertTrue(Files.readString(dir.resolve(RunLayout.REPORT)).contains("6 steps at special tokens"));
    }

    @Test
    void peaksJsonlCarriesIdsAndTheShownForm() throws Exception {
        Path dir = new SyntheticRun().write(tmp.resolve("p"));
        RunOutputs.peaks(dir, AnalysisOptions.defaults(), null, List.of(), null, 1);
        for (String line : Files.readAllLines(dir.resolve(RunLayout.PEAKS))) {
            JsonNode iqr = JsonFields.MAPPER.readTree(line).get("iqr");
            assertEquals(iqr.get("tokens").size(), iqr.get("token_ids").size());
            for (int i = 0; i < iqr.get("tokens").size(); i++) {
                assertEquals(TokenText.show(iqr.get("tokens").get(i).asText(), iqr.get("token_ids").get(i).asInt()),
                        iqr.get("shown").get(i).asText());
            }
        }
        String tt = Files.readString(dir.resolve(RunLayout.THINKING_TOKENS));
        assertTrue(tt.contains("\"shown\":\"\\\"\\\\n\\\\n\\\" (5)\""), tt);   // "\n\n" shown escaped, with its id
    }

    @Test
    void lensAndSigmaSweepAreInTheReport() throws Exception {
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{\"num_hidden_layers\": 6}");
        SyntheticRun s = new SyntheticRun();
        s.model = model.toString();
        Path dir = s.write(tmp.resolve("run"));
        // what `lens` writes: one line per problem and layer; layer 5 is the model's last
        StringBuilder lens = new StringBuilder();
        for (int p = 0; p < 6; p++) {
            lens.append("{\"index\":").append(p).append(",\"id\":\"test/p").append(p).append("\",\"layer\":2,\"steps\":40,"
                    + "\"lensed_steps\":10,\"agreement\":0.3}\n");
            lens.append("{\"index\":").append(p).append(",\"id\":\"test/p").append(p).append("\",\"layer\":5,\"steps\":40,"
                    + "\"lensed_steps\":10,\"agreement\":1.0}\n");
        }
        Files.writeString(dir.resolve(LogitLens.LENS), lens);
        Files.writeString(dir.resolve(LogitLens.LENS_TOKENS),
                "{\"layer\":2,\"word\":\"\\t\",\"freq\":7,\"token_ids\":[9]}\n{\"layer\":5,\"word\":\"So\",\"freq\":4,\"token_ids\":[0,1]}\n");
        RunOutputs.peaks(dir, AnalysisOptions.defaults(), null, List.of("50", "200"),
                SigmaSweep.fromRegistry(RunReader.open(dir).config()), 1);

        RunOutputs.Written w = RunReport.write(dir, IQR_ONLY, null);
        String md = Files.readString(dir.resolve(RunLayout.REPORT));
        assertTrue(md.contains("## Logit lens at MI peaks"), md);
        assertTrue(md.contains("| 2 | 60 | 30.0% | `\"\\t\"` 7 |"), md);
        assertTrue(md.contains("| 5 (last) | 60 | 100.0% |"), md);
        assertTrue(md.contains("The model's last layer (5) agrees by construction"), md);
        assertTrue(md.contains("(plots/lens_agreement.png)") && md.contains("(plots/sigma_jaccard.png)"), md);
        assertTrue(md.contains("**Layer 2, iqr peaks**") && !md.contains("topk peaks**"), "--rule iqr: IQR tables only");
        assertFalse(md.contains("k=20"), "no top-k header under --rule iqr");
        assertTrue(w.files().contains(dir.resolve("plots/lens_agreement.png")));
        assertTrue(w.files().contains(dir.resolve("plots/sigma_jaccard.svg")));

        Figure h = SweepReport.heatmaps(JsonFields.readFile(dir.resolve(RunLayout.SIGMA_SWEEP)), IQR_ONLY.rules(), "ctx");
        assertEquals(2, h.charts().size(), "one panel per layer for one rule");
        assertEquals(4, SweepReport.heatmaps(JsonFields.readFile(dir.resolve(RunLayout.SIGMA_SWEEP)),
                AnalysisOptions.defaults().rules(), "ctx").charts().size());

        // the sweep's k is the one `peaks --sigma` used: a report with another --top-k says so
        RunReport.write(dir, new AnalysisOptions(7, List.of(PeakRule.TOPK), null, 3), null);
        md = Files.readString(dir.resolve(RunLayout.REPORT));
        assertTrue(md.contains("k=20 as computed by `peaks --sigma` (this report's --top-k is 7"), md);
    }

    @Test
    void otherCommandsFoldersAreNotRunFolders() throws Exception {
        Path rr = Files.createDirectories(tmp.resolve("rr"));
        Files.writeString(rr.resolve("config.json"), "{\"command\": \"rr\", \"model\": \"m\", \"probability\": 0.5}");
        MipeaksException e = assertThrows(MipeaksException.class, () -> RunReader.open(rr));
        assertTrue(e.getMessage().contains("not an MI run folder") && e.getMessage().contains("`mipeaks rr`")
                && e.getMessage().contains("report.md"), e.getMessage());
        Path sup = Files.createDirectories(tmp.resolve("sup"));
        Files.writeString(sup.resolve("config.json"), "{\"model\": \"m\", \"tokens\": \"list [So]\", \"control\": \"random\"}");
        e = assertThrows(MipeaksException.class, () -> RunReader.open(sup));
        assertTrue(e.getMessage().contains("not an MI run folder") && e.getMessage().contains("`mipeaks suppress`"),
                e.getMessage());
        assertFalse(e.getMessage().contains("'layers' is missing"), e.getMessage());
    }

    @Test
    void compareNotesLayersAtDifferentDepths() throws Exception {
        Path m3 = Files.createDirectories(tmp.resolve("m3"));
        Files.writeString(m3.resolve("config.json"), "{\"num_hidden_layers\": 3}");
        Path m2 = Files.createDirectories(tmp.resolve("m2"));
        Files.writeString(m2.resolve("config.json"), "{\"num_hidden_layers\": 2}");
        SyntheticRun a = new SyntheticRun();
        a.model = m3.toString();
        a.layers = List.of(0, 1);
        SyntheticRun b = new SyntheticRun();
        b.model = m2.toString();
        b.layers = List.of(0, 1);
        Path da = a.write(tmp.resolve("a"));
        Path db = b.write(tmp.resolve("b"));
        RunComparison.Written w = RunComparison.write(List.of(da, db), tmp.resolve("cmp"), AnalysisOptions.defaults(), false);
        assertEquals(1, w.notes().size(), w.notes().toString());
        assertTrue(w.notes().get(0).contains("layer 1 of 0..2") && w.notes().get(0).contains("layer 1 of 0..1 (the last)"),
                w.notes().get(0));
        assertTrue(Files.readString(tmp.resolve("cmp/compare.md")).contains("**Note:** layer 1 is compared by index"));
        SyntheticRun c = new SyntheticRun();
        c.model = m3.toString();
        c.layers = List.of(0, 1);
        Path dc = c.write(tmp.resolve("c"));
        assertTrue(RunComparison.write(List.of(da, dc), tmp.resolve("cmp2"), AnalysisOptions.defaults(), false).notes()
                .isEmpty(), "same depth: no note");
    }
}
