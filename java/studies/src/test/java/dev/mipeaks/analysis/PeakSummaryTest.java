package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PeakSummary}: the printed peak summary of a run, without the command line. */
class PeakSummaryTest {
    @Test
    void numbersHaveFourSignificantDigitsOrSayNotAvailable() {
        assertEquals("0.1235", PeakSummary.number(0.123456));
        assertEquals("1.235e+05", PeakSummary.number(123456.0));
        assertEquals("n/a", PeakSummary.number(null));
        assertEquals("n/a", PeakSummary.number(Double.NaN));
        assertEquals("n/a", PeakSummary.number(Double.POSITIVE_INFINITY));
    }

    @Test
    void tokenLinesListTheFirstRowsWithTheirIdsAndCounts() {
        List<ThinkingTokens.Row> rows = List.of(new ThinkingTokens.Row("So", 394, new int[] {2100, 4516}),
                new ThinkingTokens.Row("Wait", 120, new int[] {14524}), new ThinkingTokens.Row("Hmm", 3, new int[] {7}));
        assertEquals("top: " + rows.get(0).shown() + " x394, " + rows.get(1).shown() + " x120",
                PeakSummary.tokenLine("top", rows, 2));
        assertEquals("top: none", PeakSummary.tokenLine("top", List.of(), 10));
        assertTrue(PeakSummary.tokenLine("top", rows, 10).endsWith(rows.get(2).shown() + " x3"));
    }

    @Test
    void writeLocksWritesAndPrintsTheSummaryOfEveryLayer(@TempDir Path tmp) throws Exception {
        Path run = AnalysisTestRuns.synthetic(tmp.resolve("run"), 1, 1.0, List.of(3));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        RunOutputs.Written w = PeakSummary.write(run, AnalysisOptions.defaults(), null, List.of(), 1,
                new PrintWriter(out, true), new PrintWriter(err, true));
        String text = out.toString();
        List<String> lines = text.lines().toList();
        RunAnalysis a = w.analysis();
        assertEquals(String.format(Locale.ROOT, "run %s: %d problems analysed, 1 skipped; model %s; estimator %s; layers %s",
                a.run().name(), a.problems().size(), a.run().config().model(), a.run().config().estimatorDescription(),
                a.run().config().layers()), lines.get(0));
        for (int layer : a.perLayer().keySet()) {
            assertTrue(text.contains("  layer " + layer + ": iqr peaks/problem "), text);
        }
        assertTrue(text.contains("  thinking tokens (layer " + a.layer() + ", topk peaks):"), text);
        assertTrue(lines.get(lines.size() - 1).startsWith("wrote "), text);
        assertTrue(Files.isRegularFile(run.resolve(RunLayout.PEAKS)));
        assertTrue(w.files().stream().allMatch(Files::isRegularFile), w.files().toString());
        // print alone gives the same lines as write, less the files written
        StringWriter again = new StringWriter();
        PeakSummary.print(new PrintWriter(again, true), a, w.tokens());
        assertEquals(lines.subList(0, lines.size() - 1), again.toString().lines().toList());
    }
}
