package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExternalTools;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real browser: headless Chromium loads the page (file://, no network), runs its script, and we
 * check the DOM it dumps: one token span per step of the selected problem with its text shown safely, peak marks
 * exactly at the chosen rule's peaks at the chosen layer, the selectors' options, the pinned step's MI per layer,
 * the trajectory's peak dots. Saves a screenshot as target/report-html/report.png. Skips with the reason where
 * Chromium is not installed (the Debian package {@code chromium}; or MIPEAKS_CHROMIUM=/path/to/chrome), unless
 * MIPEAKS_TEST_REQUIRE names chromium (CI).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReportHtmlBrowserTest {
    @TempDir
    static Path tmp;

    static Path chromium;
    static Path run;
    static Path page;
    static Map<Integer, ProblemRecord> problems = new TreeMap<>();
    static int profiles;

    static Path findChromium() {
        String env = System.getenv("MIPEAKS_CHROMIUM");
        // MIPEAKS_CHROMIUM, when set, is the only candidate (pointing it at nothing shows the skip)
        List<String> candidates = env != null && !env.isBlank() ? List.of(env) : List.of("/usr/bin/chromium",
                "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable");
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }

    @BeforeAll
    static void writePage() throws IOException {
        chromium = findChromium();
        ExternalTools.assumeAvailable("chromium", chromium != null,
                "no headless Chromium (apt-get install chromium, or set MIPEAKS_CHROMIUM): the report.html browser "
                        + "test does not run");
        run = HtmlTestRun.write(tmp.resolve("run"));
        dev.mipeaks.report.RunReport.write(run, AnalysisOptions.defaults(), null);
        page = run.resolve(RunLayout.REPORT_HTML);
        for (ProblemRecord p : RunReader.open(run).problems()) {
            problems.put(p.index(), p);
        }
    }

    static List<String> chromiumArgs(String... extra) {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--enable-logging=stderr",
                "--user-data-dir=" + tmp.resolve("profile-" + (profiles++))));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    /** Runs Chromium; returns its stdout. Fails with its stderr (console errors included) when it does not exit 0. */
    static String chromiumRun(List<String> cmd) throws Exception {
        Path out = Files.createTempFile(tmp, "chromium", ".out");
        Path err = Files.createTempFile(tmp, "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 180 s: " + cmd);
        }
        String stderr = Files.readString(err);
        assertEquals(0, p.exitValue(), "chromium failed: " + stderr);
        return Files.readString(out) + "\n<!-- stderr\n" + consoleLines(stderr) + "\n-->";
    }

    static String consoleLines(String stderr) {
        return stderr.lines().filter(l -> l.contains("CONSOLE") || l.contains("Uncaught")).collect(Collectors.joining("\n"));
    }

    static String url(String hash) {
        return page.toUri() + (hash.isEmpty() ? "" : "#" + hash);
    }

    static DomTree.Node load(String hash) throws Exception {
        String dom = chromiumRun(chromiumArgs("--dump-dom", url(hash)));
        DomTree.Node root = DomTree.parse(dom);
        List<DomTree.Node> body = root.select("body", null);
        assertEquals(1, body.size());
        assertEquals("true", body.get(0).attr("data-ready"), "the page's script did not finish: "
                + dom.substring(dom.lastIndexOf("<!-- stderr")));
        return root;
    }

    /** A token as the page shows it: control characters escaped, the empty decoding as (empty). */
    static String shown(String token) {
        if (token.isEmpty()) {
            return "(empty)";
        }
        StringBuilder sb = new StringBuilder();
        token.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\f' -> sb.append("\\f");
                case 0x0b -> sb.append("\\v");
                case '\b' -> sb.append("\\b");
                case 0 -> sb.append("\\0");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x200b || c == 0x2028 || c == 0x2029
                            || c == 0xfeff || c == 0xad) {
                        sb.append(String.format("\\u%04x", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        return sb.toString();
    }

    /** JavaScript's Number(v.toPrecision(4)).toString() for v in [1e-3, 1e5), as the page formats MI. */
    static String fmt4(double v) {
        return new BigDecimal(v).round(new MathContext(4, RoundingMode.HALF_UP)).stripTrailingZeros().toPlainString();
    }

    static int[] peaks(ProblemRecord p, int layer, String rule) {
        double[] m = p.mi(layer);
        int[] s = rule.equals("iqr") ? Peaks.iqrRule(m) : m.length == 0 ? new int[0] : Peaks.topK(m, Peaks.DEFAULT_TOP_K);
        return IntStream.of(s).sorted().toArray();
    }

    /** The checks every view must pass: tokens, peak marks, selectors, trajectory dots. */
    static List<DomTree.Node> checkView(DomTree.Node dom, int index, int layer, String rule) {
        ProblemRecord p = problems.get(index);
        List<DomTree.Node> toks = dom.byId("tokens").select("span", "tok");
        assertEquals(p.steps(), toks.size(), "token spans of problem " + index);
        for (int t = 0; t < toks.size(); t++) {
            assertEquals(Integer.toString(t), toks.get(t).attr("data-step"));
        }
        int[] marked = IntStream.range(0, toks.size()).filter(t -> toks.get(t).hasClass("peak")).toArray();
        int[] want = peaks(p, layer, rule);
        assertArrayEquals(want, marked, "peak marks of problem " + index + ", layer " + layer + ", " + rule);
        assertTrue(p.steps() < 20 || want.length > 0, "the fixture should give every non-empty problem a peak");

        List<String> problemOptions = dom.byId("problem").select("option", null).stream().map(o -> o.attr("value")).toList();
        assertEquals(IntStream.range(0, problems.size()).mapToObj(Integer::toString).toList(), problemOptions);
        List<String> optionText = dom.byId("problem").select("option", null).stream().map(DomTree.Node::text).toList();
        List<Integer> indexes = new ArrayList<>(problems.keySet());
        for (int i = 0; i < indexes.size(); i++) {
            ProblemRecord q = problems.get(indexes.get(i));
            assertTrue(optionText.get(i).startsWith("#" + q.index() + " " + q.id() + " \u2014 " + q.steps() + " steps, "
                    + peaks(q, layer, rule).length + " peaks"), optionText.get(i));
        }
        assertEquals(HtmlTestRun.LAYERS.stream().map(String::valueOf).toList(),
                dom.byId("layer").select("option", null).stream().map(o -> o.attr("value")).toList());
        assertEquals(List.of("iqr", "topk"), dom.byId("rule").select("option", null).stream().map(o -> o.attr("value")).toList());
        if (p.steps() > 0) {
            TreeSet<Integer> dots = new TreeSet<>();
            for (DomTree.Node c : dom.byId("trajectory").select("circle", "peak-dot")) {
                dots.add(Integer.parseInt(c.attr("data-step")));
            }
            assertEquals(IntStream.of(want).boxed().collect(Collectors.toCollection(TreeSet::new)), dots);
        }
        return toks;
    }

    @Test
    void defaultViewIsTheFirstProblemAtTheLastLayerWithIqrPeaks() throws Exception {
        DomTree.Node dom = load("");
        checkView(dom, 0, 7, "iqr");
        assertEquals("TEST RUN <b>not bold</b>", dom.byId("notice").text());
        assertTrue(dom.byId("notice").select("b", null).isEmpty());
        assertTrue(dom.byId("title").text().contains("MI peaks: run"));
        // the heat map is drawn (a canvas) and the run-level chart has one point per layer
        assertEquals(1, dom.byId("heatmap").select("canvas", null).size());
        assertEquals(HtmlTestRun.LAYERS.size(), dom.byId("layer-chart").select("circle", "layer-pt").size());
    }

    @Test
    void hostileTokensAreShownAsTextWithControlCharactersEscaped() throws Exception {
        DomTree.Node dom = load("problem=5&layer=0&rule=iqr");
        List<DomTree.Node> toks = checkView(dom, 5, 0, "iqr");
        ProblemRecord p = problems.get(5);
        for (int t = 0; t < HtmlTestRun.VOCAB.length; t++) {
            assertEquals(shown(p.tokens().get(t)), toks.get(t).text(), "step " + t + " (" + p.tokens().get(t) + ")");
        }
        // no markup from the data became elements; escapes are styled apart from literal backslashes
        assertTrue(dom.byId("tokens").findAll(n -> !n.tag.equals("span") && !n.tag.equals("br")).isEmpty());
        int nl = p.tokens().indexOf("\n\n");
        int literal = p.tokens().indexOf("\\n");
        assertEquals(2, toks.get(nl).select("span", "ctl").size());
        assertTrue(toks.get(literal).select("span", "ctl").isEmpty());
        assertTrue(toks.get(p.tokens().indexOf("")).hasClass("empty"));
        assertEquals("html/p5<i>&", dom.byId("problem-title").text().replace("Problem #5: ", ""));
    }

    @Test
    void longProblemOtherLayerTopkAndAPinnedStep() throws Exception {
        int step = 1717;
        DomTree.Node dom = load("problem=1&layer=3&rule=topk&step=" + step);
        List<DomTree.Node> toks = checkView(dom, 1, 3, "topk");
        assertEquals(3000, toks.size());
        assertEquals(Peaks.DEFAULT_TOP_K, toks.stream().filter(t -> t.hasClass("peak")).count());
        assertTrue(toks.get(step).hasClass("pinned"));
        // the pinned step's details: step, id, and MI at every layer (float32, 4 significant digits)
        ProblemRecord p = problems.get(1);
        DomTree.Node detail = dom.byId("detail");
        assertTrue(detail.text().startsWith("step " + step + " \u00b7 id " + p.tokenIds()[step] + " \u00b7 "), detail.text());
        List<DomTree.Node> rows = detail.findAll(n -> n.attrs.containsKey("data-layer"));
        assertEquals(HtmlTestRun.LAYERS.stream().map(String::valueOf).toList(), rows.stream().map(r -> r.attr("data-layer")).toList());
        for (DomTree.Node r : rows) {
            int l = Integer.parseInt(r.attr("data-layer"));
            String v = r.select("span", "mi-val").get(0).text();
            assertEquals(fmt4((float) p.mi(l)[step]), v, "MI at layer " + l);
            boolean peak = IntStream.of(peaks(p, l, "topk")).anyMatch(s -> s == step);
            assertEquals(peak ? "\u25cf" : "", r.select("span", "pk-mark").get(0).text());
            assertEquals(l == 3, r.hasClass("current"));
        }
    }

    @Test
    void problemsWithNoOrOneStepRender() throws Exception {
        DomTree.Node dom = load("problem=2&layer=7&rule=topk");
        checkView(dom, 2, 7, "topk");
        assertTrue(dom.byId("tokens").text().contains("(no generated steps)"));
        dom = load("problem=3&layer=3&rule=iqr");
        checkView(dom, 3, 3, "iqr");
        // an unknown problem or layer in the link falls back to the defaults
        dom = load("problem=99&layer=42&rule=nope");
        checkView(dom, 0, 7, "iqr");
    }

    @Test
    void screenshot() throws Exception {
        Path dir = Path.of("target", "report-html").toAbsolutePath();
        Files.createDirectories(dir);
        Path png = dir.resolve("report.png");
        Files.deleteIfExists(png);
        chromiumRun(chromiumArgs("--hide-scrollbars", "--window-size=1400,2000", "--screenshot=" + png,
                url("problem=5&layer=0&rule=iqr&step=3")));
        byte[] b = Files.readAllBytes(png);
        assertTrue(b.length > 10_000, "screenshot of " + b.length + " bytes");
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(b, 4));
        Files.copy(page, dir.resolve("report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("report.html screenshot: " + png + " (the page beside it: " + dir.resolve("report.html") + ")");
        assertFalse(Files.readString(page).isEmpty());
    }
}
