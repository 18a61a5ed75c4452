package dev.mipeaks.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.JsonFields;
import dev.mipeaks.analysis.LayerStats;
import dev.mipeaks.analysis.PeakRule;
import dev.mipeaks.analysis.ProblemRecord;
import dev.mipeaks.analysis.RunAnalysis;
import dev.mipeaks.analysis.RunConfig;
import dev.mipeaks.analysis.SequenceStats;
import dev.mipeaks.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.html: one self-contained page (inline CSS and JavaScript, the data embedded as JSON, nothing fetched) for
 * reading a run problem by problem: the response with every token coloured by its MI at a chosen layer, the peaks of
 * a chosen rule marked, a tooltip with step, token id and MI at every layer, the trajectory and a layers x steps
 * heat map as interactive plots, and the run's MI per layer.
 *
 * <p>The page renders only the selected problem, so it stays usable for hundreds of problems with thousands of
 * steps: the run summary is one JSON block, and each problem is its own JSON block, parsed when it is selected. MI
 * values travel as base64 float32 (5.3 bytes a value); when every layer of a large run would exceed
 * {@link #DEFAULT_MAX_VALUES}, {@link #layersFor} keeps evenly spaced layers (always the analysis layer) and the page
 * says which. State is in the URL fragment ({@code #problem=INDEX&layer=L&rule=iqr|topk&step=T}), so a view can be
 * linked, and the page's test loads it that way.
 *
 * <p>DOM hooks (stable, used by the browser test): {@code #problem}, {@code #layer}, {@code #rule} (the selectors),
 * {@code span.tok[data-step]} (one per step; {@code tok peak} at the chosen rule's peaks at the chosen layer),
 * {@code #detail} (the pinned step's step, id and MI per layer), {@code #trajectory svg circle.peak-dot}.
 */
public final class ReportHtml {
    private ReportHtml() {
    }

    /** Default cap on embedded MI values (problems x steps x layers): about 50 MB of base64. */
    public static final long DEFAULT_MAX_VALUES = 10_000_000L;

    private static final String RESOURCE_DIR = "/dev/mipeaks/report/";

    /**
     * Which layers the page embeds.
     *
     * @param requested null for automatic (every layer when they fit {@code maxValues}, otherwise as many evenly
     *                  spaced layers as fit, always including the analysis layer), or an explicit list (checked
     *                  against the run's layers)
     */
    public static List<Integer> layersFor(RunAnalysis a, List<Integer> requested, long maxValues) {
        List<Integer> all = a.run().config().layers();
        if (requested != null) {
            if (requested.isEmpty()) {
                throw MipeaksException.invalid("--html-layers: no layer given");
            }
            List<Integer> out = new ArrayList<>();
            for (int l : requested) {
                if (!all.contains(l)) {
                    throw MipeaksException.invalid("--html-layers " + l + ": run " + a.run().dir() + " has layers " + all);
                }
                if (!out.contains(l)) {
                    out.add(l);
                }
            }
            // in the run's layer order, as the selectors and the heat map show them
            return all.stream().filter(out::contains).toList();
        }
        long steps = Math.max(1, totalSteps(a));
        long fit = Math.max(1, maxValues / steps);
        if (fit >= all.size()) {
            return all;
        }
        // n evenly spaced layers, first and last included; the analysis layer replaces the one nearest to it
        int n = (int) fit;
        List<Integer> pos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int q = n == 1 ? all.size() - 1 : (int) Math.round(i * (all.size() - 1) / (double) (n - 1));
            if (!pos.contains(q)) {
                pos.add(q);
            }
        }
        int layerPos = all.indexOf(a.layer());
        if (!pos.contains(layerPos)) {
            int nearest = 0;
            for (int i = 1; i < pos.size(); i++) {
                if (Math.abs(pos.get(i) - layerPos) < Math.abs(pos.get(nearest) - layerPos)) {
                    nearest = i;
                }
            }
            pos.set(nearest, layerPos);
        }
        return all.stream().filter(l -> pos.contains(all.indexOf(l))).toList();
    }

    /** Steps over all analysed problems. */
    public static long totalSteps(RunAnalysis a) {
        long s = 0;
        for (RunAnalysis.ProblemPeaks p : a.problems()) {
            s += p.steps();
        }
        return s;
    }

    /** Writes the page atomically, reading each problem file once more (one problem in memory at a time). */
    public static void write(RunAnalysis a, List<Integer> layers, Path file) throws IOException {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("report.html needs at least one layer");
        }
        String css = resource("report-html.css");
        String js = resource("report-html.js");
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            w.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            w.write("<title>MI peaks: " + escapeHtml(a.run().name()) + "</title>\n");
            w.write("<style>\n" + css + "</style>\n</head>\n<body>\n");
            w.write(BODY);
            w.write("<script type=\"application/json\" id=\"run-data\">");
            w.write(scriptJson(runJson(a, layers)));
            w.write("</script>\n");
            Iterator<RunAnalysis.ProblemPeaks> peaks = a.problems().iterator();
            int pos = 0;
            for (ProblemRecord p : a.run().problems()) {
                RunAnalysis.ProblemPeaks pp = peaks.hasNext() ? peaks.next() : null;
                if (pp == null || pp.index() != p.index()) {
                    throw new IllegalStateException("problem " + p.index() + " was not in the analysis");
                }
                w.write("<script type=\"application/json\" class=\"problem-data\" id=\"problem-data-" + pos + "\">");
                w.write(scriptJson(problemJson(a, p, pp, layers)));
                w.write("</script>\n");
                pos++;
            }
            w.write("<script>\n" + js + "</script>\n</body>\n</html>\n");
            w.flush();
        });
    }

    private static final String BODY = """
            <header id="head"><h1 id="title">MI peaks</h1><div id="notice" hidden></div>
            <table id="run-info" class="info"></table></header>
            <noscript><p class="warn">This page draws everything with JavaScript; enable it to read the run.</p></noscript>
            <nav id="controls">
            <label>problem <select id="problem"></select></label>
            <button id="prev" type="button" title="previous problem (k)">&#9664;</button>
            <button id="next" type="button" title="next problem (j)">&#9654;</button>
            <label>layer <select id="layer"></select></label>
            <label>peaks <select id="rule"></select></label>
            <label>colour scale <select id="scale"><option value="linear">linear (min to max)</option>
            <option value="rank">rank (percentile)</option></select></label>
            <span id="legend"></span>
            </nav>
            <main>
            <section id="problem-view">
            <h2 id="problem-title"></h2>
            <div id="problem-stats" class="stats"></div>
            <details id="problem-text"><summary>problem and answer</summary><pre id="problem-body"></pre>
            <p>answer: <code id="problem-answer"></code></p></details>
            <h3>MI trajectory <span class="hint">(hover: step; click: pin; drag: zoom; double-click: reset)</span>
            <label class="hint"><input type="checkbox" id="all-layers"> other layers</label></h3>
            <div id="trajectory" class="plot"></div>
            <h3>MI by layer and step <span class="hint">(each row scaled to its own range; click: layer and step)</span></h3>
            <div id="heatmap" class="plot"></div>
            <div id="detail" class="detail"><span class="hint">click a token or a point to pin its MI per layer here</span></div>
            <h3>Response <span class="hint">(each token coloured by its MI at the chosen layer; outlined: peaks)</span></h3>
            <div id="tokens" class="tokens"></div>
            </section>
            <section id="run-view">
            <h2>The run</h2>
            <h3>MI per layer <span class="hint">(mean &#177; std over every step of every problem; click: layer)</span></h3>
            <div id="layer-chart" class="plot"></div>
            <table id="layer-table" class="info"></table>
            </section>
            </main>
            <div id="tip" class="tip" hidden></div>
            """;

    /**
     * The run's data on the page ({@code run-data}): what the run view and the problem list show; {@code notice} only
     * when the run's config has one.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"name", "model", "dataset", "estimator", "max_new_tokens", "created", "notice", "layers",
            "embedded_layers", "default_layer", "rules", "top_k", "skipped", "per_layer", "problems"})
    record RunView(String name, String model, String dataset, String estimator, int maxNewTokens, String created,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String notice, List<Integer> layers,
                   List<Integer> embeddedLayers, int defaultLayer, List<String> rules, int topK, int skipped,
                   List<LayerView> perLayer, List<ProblemSummary> problems) {
    }

    /** A layer's mean, std and AOM (null when undefined) and mean peak count by rule key. */
    @JsonPropertyOrder({"layer", "mean", "std", "aom", "mean_peaks"})
    record LayerView(int layer, Double mean, Double std, Double aom,
                     @JsonProperty("mean_peaks") Map<String, Double> meanPeaks) {
    }

    /** A problem in the list: its steps and peak counts by layer, then rule key. */
    @JsonPropertyOrder({"index", "id", "steps", "peaks"})
    record ProblemSummary(int index, String id, int steps, Map<String, Map<String, Integer>> peaks) {
    }

    /**
     * One problem's data on the page ({@code problem-data-N}), by layer: MI as base64 float32, peak steps by rule,
     * and the IQR fence and median where the trajectory has quartiles.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"index", "id", "problem", "answer", "stop_reason", "token_ids", "tokens", "mi", "peaks", "fence",
            "median"})
    record ProblemView(int index, String id, String problem, String answer, String stopReason, int[] tokenIds,
                       List<String> tokens, Map<String, String> mi, Map<String, Map<String, int[]>> peaks,
                       Map<String, Double> fence, Map<String, Double> median) {
    }

    static RunView runJson(RunAnalysis a, List<Integer> layers) {
        RunConfig c = a.run().config();
        var notice = c.raw() == null ? null : c.raw().get("notice");
        List<LayerView> per = new ArrayList<>();
        for (LayerStats ls : a.perLayer().values()) {
            Map<String, Double> t = new LinkedHashMap<>();
            ls.table1().values().forEach(pt -> t.put(pt.rule().key(), pt.meanPeaks()));
            per.add(new LayerView(ls.layer(), finite(ls.mi().mean()), finite(ls.mi().std()), finite(ls.mi().aom()), t));
        }
        List<ProblemSummary> probs = new ArrayList<>();
        for (RunAnalysis.ProblemPeaks p : a.problems()) {
            Map<String, Map<String, Integer>> pk = new LinkedHashMap<>();
            for (int l : layers) {
                Map<String, Integer> byRule = new LinkedHashMap<>();
                a.options().rules().forEach(r -> byRule.put(r.key(), p.layers().get(l).stats().peaks(r).length));
                pk.put(Integer.toString(l), byRule);
            }
            probs.add(new ProblemSummary(p.index(), p.id(), p.steps(), pk));
        }
        return new RunView(a.run().name(), c.model(), c.dataset(), c.estimatorDescription(), c.maxNewTokens(),
                c.created(), notice != null && notice.isTextual() && !notice.asText().isBlank() ? notice.asText() : null,
                c.layers(), layers, layers.contains(a.layer()) ? a.layer() : layers.get(layers.size() - 1),
                a.options().rules().stream().map(PeakRule::key).toList(), a.options().topK(), a.skippedCount(), per,
                probs);
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    static ProblemView problemJson(RunAnalysis a, ProblemRecord p, RunAnalysis.ProblemPeaks pp, List<Integer> layers) {
        Map<String, String> mi = new LinkedHashMap<>();
        Map<String, Map<String, int[]>> peaks = new LinkedHashMap<>();
        Map<String, Double> fence = new LinkedHashMap<>();
        Map<String, Double> median = new LinkedHashMap<>();
        for (int l : layers) {
            String key = Integer.toString(l);
            mi.put(key, float32Base64(p.mi(l)));
            SequenceStats s = pp.layers().get(l).stats();
            Map<String, int[]> byRule = new LinkedHashMap<>();
            a.options().rules().forEach(r -> byRule.put(r.key(), s.peaks(r)));
            peaks.put(key, byRule);
            if (s.quartiles() != null) {
                fence.put(key, s.quartiles().upperFence());
                median.put(key, s.quartiles().median());
            }
        }
        return new ProblemView(p.index(), p.id(), p.problem(), p.answer(), p.stopReason(), p.tokenIds(), p.tokens(), mi,
                peaks, fence, median);
    }

    /** Little-endian float32 values, base64: what the page decodes into a Float32Array. */
    static String float32Base64(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putFloat((float) d);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    /**
     * JSON that is safe inside a {@code <script>} element: '<', '>' and '&' (which JSON allows only inside strings)
     * become \\u escapes, so no data can close the element or open a comment; U+2028/U+2029 too.
     */
    static String scriptJson(Object o) {
        String s;
        try {
            s = JsonFields.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    static String escapeHtml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static String resource(String name) {
        try (InputStream in = ReportHtml.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE_DIR + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses --html-layers: "auto" (null), "all", or a comma list of layers. */
    public static List<Integer> parseLayers(String text, List<Integer> runLayers) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("auto")) {
            return null;
        }
        if (t.equals("all")) {
            return runLayers;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : t.split(",")) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw MipeaksException.invalid("--html-layers must be auto, all or L,L,..., got '" + text + "'");
            }
        }
        return out;
    }
}
