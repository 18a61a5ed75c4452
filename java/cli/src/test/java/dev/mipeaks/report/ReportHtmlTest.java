package dev.mipeaks.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.HtmlTestRun;
import dev.mipeaks.analysis.JsonFields;
import dev.mipeaks.analysis.PeakRule;
import dev.mipeaks.analysis.Peaks;
import dev.mipeaks.analysis.ProblemRecord;
import dev.mipeaks.analysis.Quartiles;
import dev.mipeaks.analysis.RunAnalysis;
import dev.mipeaks.analysis.RunData;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.analysis.RunReader;
import dev.mipeaks.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html without a browser: the page is self-contained, no data can break out of its JSON blocks, and the
 * embedded data (tokens, MI, peaks) is exactly the run's; which layers it embeds under a size cap; the CLI option.
 * ReportHtmlBrowserTest loads the page in headless Chromium.
 */
class ReportHtmlTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern SCRIPT = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL);

    @TempDir
    Path tmp;

    static List<JsonNode> dataBlocks(String html) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        Matcher m = SCRIPT.matcher(html);
        while (m.find()) {
            if (m.group(1).contains("application/json")) {
                out.add(JSON.readTree(m.group(2)));
            }
        }
        return out;
    }

    static double[] float32(String b64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[b.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    @Test
    void pageIsSelfContainedAndEmbedsTheRunExactly() throws Exception {
        Path dir = HtmlTestRun.write(tmp.resolve("run"));
        RunReport.write(dir, AnalysisOptions.defaults(), null);
        String html = Files.readString(dir.resolve(RunLayout.REPORT_HTML));

        // self-contained: nothing loaded from anywhere (the only URL is the SVG namespace, an identifier)
        assertFalse(Pattern.compile("<(link|img|iframe|object|embed|base)\\b", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertFalse(html.contains("@import") || html.contains("url(") || html.contains("fetch(")
                || html.contains("XMLHttpRequest"));
        assertEquals(html.split("http", -1).length - 1, html.split("http://www.w3.org/2000/svg", -1).length - 1,
                "a URL other than the SVG namespace");
        // hostile text cannot close a script element early: every "</script" is one of the page's own
        List<JsonNode> blocks = dataBlocks(html);
        int ok = HtmlTestRun.STEPS.length - 1;
        assertEquals(1 + ok, blocks.size());
        assertEquals(blocks.size() + 1, html.split("</script", -1).length - 1);
        assertFalse(html.contains("<!-- x"));

        JsonNode run = blocks.get(0);
        assertEquals(JSON.valueToTree(HtmlTestRun.LAYERS), run.get("layers"));
        assertEquals(JSON.valueToTree(HtmlTestRun.LAYERS), run.get("embedded_layers"));
        assertEquals(7, run.get("default_layer").asInt());
        assertEquals(1, run.get("skipped").asInt());
        assertEquals("TEST RUN <b>not bold</b>", run.get("notice").asText());
        assertEquals(ok, run.get("problems").size());

        RunData data = RunReader.open(dir);
        int pos = 0;
        for (ProblemRecord p : data.problems()) {
            JsonNode b = blocks.get(1 + pos);
            assertEquals(p.index(), b.get("index").asInt());
            assertEquals(p.id(), b.get("id").asText());
            assertEquals(p.problem(), b.get("problem").asText());
            List<String> tokens = new ArrayList<>();
            b.get("tokens").forEach(t -> tokens.add(t.asText()));
            assertEquals(p.tokens(), tokens, "tokens of problem " + p.index());
            assertEquals(p.steps(), b.get("token_ids").size());
            JsonNode summary = run.get("problems").get(pos);
            assertEquals(p.steps(), summary.get("steps").asInt());
            for (int l : HtmlTestRun.LAYERS) {
                String key = Integer.toString(l);
                double[] m = p.mi(l);
                double[] got = float32(b.get("mi").get(key).asText());
                double[] want = new double[m.length];
                for (int i = 0; i < m.length; i++) {
                    want[i] = (float) m[i];
                }
                assertArrayEquals(want, got, "mi." + l + " of problem " + p.index());
                int[] iqr = Peaks.iqrRule(m);
                int[] top = m.length == 0 ? new int[0] : Peaks.topK(m, Peaks.DEFAULT_TOP_K);
                assertArrayEquals(iqr, JSON.treeToValue(b.get("peaks").get(key).get("iqr"), int[].class));
                assertArrayEquals(top, JSON.treeToValue(b.get("peaks").get(key).get("topk"), int[].class));
                assertEquals(iqr.length, summary.get("peaks").get(key).get("iqr").asInt());
                if (m.length > 0) {
                    assertEquals(Quartiles.of(m).upperFence(), b.get("fence").get(key).asDouble());
                }
            }
            pos++;
        }
        assertEquals(ok, pos);
    }

    @Test
    void largeRunsEmbedEvenlySpacedLayersIncludingTheAnalysisLayer() throws Exception {
        Path dir = HtmlTestRun.write(tmp.resolve("run"));
        RunAnalysis last = RunAnalysis.analyze(RunReader.open(dir), AnalysisOptions.defaults());
        long steps = ReportHtml.totalSteps(last);
        assertEquals(java.util.Arrays.stream(HtmlTestRun.STEPS).sum() - HtmlTestRun.STEPS[HtmlTestRun.SKIPPED], steps);
        assertEquals(HtmlTestRun.LAYERS, ReportHtml.layersFor(last, null, steps * 3));
        assertEquals(List.of(0, 7), ReportHtml.layersFor(last, null, steps * 2));
        assertEquals(List.of(7), ReportHtml.layersFor(last, null, steps));
        assertEquals(List.of(7), ReportHtml.layersFor(last, null, 1));

        AnalysisOptions at3 = new AnalysisOptions(Peaks.DEFAULT_TOP_K, List.of(PeakRule.IQR, PeakRule.TOPK), 3, 12);
        RunAnalysis mid = RunAnalysis.analyze(RunReader.open(dir), at3);
        List<Integer> two = ReportHtml.layersFor(mid, null, steps * 2);
        assertEquals(2, two.size());
        assertTrue(two.contains(3), two.toString());
        assertEquals(List.of(3), ReportHtml.layersFor(mid, null, steps));

        // explicit lists: run order, duplicates dropped, unknown layers refused naming the option
        assertEquals(List.of(0, 7), ReportHtml.layersFor(last, List.of(7, 0, 7), 1));
        MipeaksException e = assertThrows(MipeaksException.class, () -> ReportHtml.layersFor(last, List.of(5), 1));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("--html-layers 5: run "), e.getMessage());
    }

    @Test
    void reportCommandWritesThePageWithTheChosenLayers() throws Exception {
        Path dir = HtmlTestRun.write(tmp.resolve("run"));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), "report", dir.toString(), "--html-layers", "3,0");
        assertEquals(0, code, e.toString());
        assertTrue(o.toString().contains("report.html"), o.toString());
        assertTrue(o.toString().contains("report.html embeds the MI of layers [0, 3] of 3"), o.toString());
        JsonNode run = dataBlocks(Files.readString(dir.resolve(RunLayout.REPORT_HTML))).get(0);
        assertEquals(JSON.valueToTree(List.of(0, 3)), run.get("embedded_layers"));
        assertEquals(3, run.get("default_layer").asInt(), "the analysis layer (7) is not embedded: the last embedded one");

        for (String bad : List.of("5", "x", "1,,2")) {
            o = new StringWriter();
            e = new StringWriter();
            code = Main.run(new PrintWriter(o), new PrintWriter(e), "report", dir.toString(), "--html-layers", bad);
            assertEquals(2, code, bad + ": " + e);
            assertEquals(1, e.toString().strip().lines().count(), e.toString());
            assertTrue(e.toString().contains("--html-layers"), e.toString());
        }
    }

    @Test
    void scriptJsonEscapesWhatCouldEndTheElement() {
        var o = JsonFields.MAPPER.createObjectNode().put("t", "</script><!--&\u2028");
        String s = ReportHtml.scriptJson(o);
        assertEquals("{\"t\":\"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\"}", s);
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", ReportHtml.escapeHtml("<a href=\"x\">&'"));
    }
}
