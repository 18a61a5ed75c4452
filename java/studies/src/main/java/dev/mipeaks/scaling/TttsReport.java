package dev.mipeaks.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.report.ChartStyle;
import dev.mipeaks.report.Figure;
import dev.mipeaks.report.Markdown;
import dev.mipeaks.study.RunFolder;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * metrics.json, report.md and the accuracy-vs-budget figure (plots/ttts_accuracy.png/.svg: one panel per thinking
 * token, its accuracy against the baseline's, one title with model, dataset and problem count, one legend) of a TTTS
 * run folder, rebuilt from every line of results.jsonl.
 */
public final class TttsReport {
    public static final String FIGURE = "ttts_accuracy";
    /** The figure's folder inside the run folder. */
    public static final String PLOTS = "plots";

    private TttsReport() {
    }

    /**
     * Accuracy per (row, budget) under each rule set: rows are the thinking tokens in sweep order, then
     * {@link TttsRunner#BASELINE}; {@code rules} is the headline.
     */
    public record Result(GradingRules rules, Map<GradingRules, Map<String, Map<Integer, GradeSummary>>> byRules,
                         long generatedTokens, double seconds) {
        public double tokensPerSecond() {
            return seconds > 0 ? generatedTokens / seconds : 0;
        }

        /** The headline rules' accuracies. */
        public Map<String, Map<Integer, GradeSummary>> grades() {
            return byRules.get(rules);
        }

        public String summaryText() {
            StringBuilder b = new StringBuilder();
            Map<String, Map<Integer, GradeSummary>> other = byRules.get(rules.other());
            b.append(String.format(Locale.ROOT, "ttts accuracy under %s rules (%s rules in brackets)%n", rules.label(),
                    rules.other().label()));
            grades().forEach((row, byBudget) -> {
                b.append(String.format(Locale.ROOT, "ttts %-12s",
                        row.equals(TttsRunner.BASELINE) ? row : dev.mipeaks.analysis.TokenText.quote(row)));
                byBudget.forEach((budget, s) -> b.append(String.format(Locale.ROOT, "  %d: %s [%s]", budget,
                        ReportText.pct(s.overall()), ReportText.pct(other.get(row).get(budget).overall().accuracy()))));
                b.append('\n');
            });
            b.append(String.format(Locale.ROOT, "ttts: %d generated tokens at %.1f tokens/s%n", generatedTokens,
                    tokensPerSecond()));
            return b.toString();
        }
    }

    public static Result collect(List<JsonNode> lines, TttsRunner.Options o, String dataset, GradingRules rules) {
        Map<GradingRules, Map<String, Map<Integer, GradeSummary>>> byRules = new java.util.EnumMap<>(GradingRules.class);
        // per (row, budget) one summary per rule set
        Map<String, Map<Integer, Map<GradingRules, GradeSummary>>> grades = new LinkedHashMap<>();
        List<String> rows = new ArrayList<>(o.tokens());
        if (o.baseline()) {
            rows.add(TttsRunner.BASELINE);
        }
        for (GradingRules r : GradingRules.values()) {
            byRules.put(r, new LinkedHashMap<>());
        }
        for (String row : rows) {
            Map<Integer, Map<GradingRules, GradeSummary>> m = new TreeMap<>();
            for (int b : o.budgets()) {
                Map<GradingRules, GradeSummary> each = Grading.summaries(dataset);
                m.put(b, each);
                each.forEach((r, g) -> byRules.get(r).computeIfAbsent(row, k -> new TreeMap<>()).put(b, g));
            }
            grades.put(row, m);
        }
        long tokens = 0;
        double secs = 0;
        for (JsonNode l : lines) {
            tokens += l.path("generated_tokens").asLong();
            secs += l.path("generation_ms").asDouble() / 1e3;
            Map<Integer, Map<GradingRules, GradeSummary>> m = grades.get(l.path("token").asText());
            if (m == null) {
                continue;
            }
            for (JsonNode cell : l.path("cells")) {
                Map<GradingRules, GradeSummary> s = m.get(cell.path("budget").asInt());
                if (s != null) {
                    Grading.add(s, l, cell);
                }
            }
        }
        return new Result(rules, byRules, tokens, secs);
    }

    static Result write(RunFolder folder, ObjectNode cfg, TttsRunner.Options o, GradingRules rules) throws IOException {
        String dataset = cfg.path("dataset").asText();
        Result r = collect(folder.lines(RunFolder.RESULTS), o, dataset, rules);
        folder.writeJson(RunFolder.METRICS, TttsMetrics.of(r, o));
        java.util.Set<Integer> problems = new java.util.HashSet<>();
        folder.lines(RunFolder.RESULTS).forEach(l -> problems.add(l.path("index").asInt()));
        figure(r, o, ChartStyle.context(cfg.path("model").asText(null), dataset, problems.size()))
                .save(folder.dir().resolve(PLOTS), FIGURE);
        folder.writeText(RunFolder.REPORT, markdown(cfg, o, r));
        return r;
    }

    private static final Color TOKEN = new Color(0xd62728);
    private static final Color BASE = new Color(0x1f77b4);
    private static final BasicStroke BASE_STROKE = new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 4f}, 0f);

    /** One panel per thinking token (titled with it), one figure title with {@code context}, one legend. */
    static Figure figure(Result r, TttsRunner.Options o, String context) {
        Map<Integer, GradeSummary> base = r.grades().get(TttsRunner.BASELINE);
        List<JFreeChart> charts = new ArrayList<>();
        for (String t : o.tokens()) {
            charts.add(chart(t, r.grades().get(t), base));
        }
        org.jfree.chart.LegendItemCollection legend = new org.jfree.chart.LegendItemCollection();
        legend.add(legendLine("with the panel's thinking token", TOKEN, new BasicStroke(1.8f)));
        if (base != null) {
            legend.add(legendLine("baseline (no thinking token)", BASE, BASE_STROKE));
        }
        return Figure.grid(charts, 440, 320)
                .withTitle("Thinking-token test-time scaling: accuracy vs phase-2 budget (base " + o.baseBudget()
                        + " tokens)", context)
                .withLegend(legend);
    }

    private static org.jfree.chart.LegendItem legendLine(String label, Color c, BasicStroke s) {
        org.jfree.chart.LegendItem li = new org.jfree.chart.LegendItem(label);
        li.setLine(new java.awt.geom.Line2D.Double(-10, 0, 10, 0));
        li.setLineVisible(true);
        li.setLinePaint(c);
        li.setLineStroke(s);
        li.setShapeVisible(false);
        return li;
    }

    private static JFreeChart chart(String token, Map<Integer, GradeSummary> tok, Map<Integer, GradeSummary> base) {
        XYSeriesCollection ds = new XYSeriesCollection();
        ds.addSeries(series(dev.mipeaks.analysis.TokenText.quote(token), tok));
        if (base != null) {
            ds.addSeries(series("baseline (no thinking token)", base));
        }
        JFreeChart c = ChartFactory.createXYLineChart(dev.mipeaks.analysis.TokenText.quote(token),
                "token budget (phase 2)", "accuracy (%)", ds, PlotOrientation.VERTICAL, false, false, false);
        c.setBackgroundPaint(Color.WHITE);
        c.getTitle().setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 12));
        XYPlot p = c.getXYPlot();
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(0xdddddd));
        p.setRangeGridlinePaint(new Color(0xdddddd));
        XYLineAndShapeRenderer rr = new XYLineAndShapeRenderer(true, true);
        rr.setSeriesPaint(0, TOKEN);
        rr.setSeriesStroke(0, new BasicStroke(1.8f));
        rr.setSeriesPaint(1, BASE);
        rr.setSeriesStroke(1, BASE_STROKE);
        p.setRenderer(rr);
        ChartStyle.accuracyAxis((NumberAxis) p.getRangeAxis());
        ChartStyle.zeroLine(p);
        NumberAxis x = (NumberAxis) p.getDomainAxis();
        x.setAutoRangeIncludesZero(false);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return c;
    }

    private static XYSeries series(String name, Map<Integer, GradeSummary> m) {
        XYSeries s = new XYSeries(name);
        m.forEach((b, g) -> {
            if (g.overall().total() > 0) {
                s.add((double) b, 100 * g.overall().accuracy());
            }
        });
        return s;
    }

    /** Problems graded in the widest row (every problem has one line per thinking token and for the baseline). */
    static int problems(Result r) {
        int n = 0;
        for (Map<Integer, GradeSummary> byBudget : r.grades().values()) {
            for (GradeSummary s : byBudget.values()) {
                n = Math.max(n, s.overall().total());
            }
        }
        return n;
    }

    static String markdown(ObjectNode cfg, TttsRunner.Options o, Result r) {
        Markdown md = new Markdown().heading(1, "Thinking-token test-time scaling: " + cfg.path("dataset").asText());
        md.paragraph("Model `" + ReportText.cell(cfg.path("model").asText()) + "`, dataset "
                + ReportText.cell(cfg.path("dataset").asText()) + ", " + problems(r) + " problems.");
        md.paragraph(String.format(Locale.ROOT, "Phase 1 up to %d tokens; then \" \" + thinking token and up to the "
                + "budget in phase 2; then `%s` and %d tokens, graded. The baseline continues phase 1 to base + budget "
                + "tokens without a thinking token. Greedy decoding; budgets share one phase-2 generation (see "
                + "`TttsRunner`). Phases joined as %s.",
                o.baseBudget(), TttsRunner.FINAL_PROMPT.trim(), TttsRunner.FINAL_TOKENS,
                o.context() == TttsRunner.Context.TEXT ? "text, stripped and re-tokenized (the reference's construction)"
                        : "token ids (exact prefix reuse)"));
        md.paragraph("![accuracy vs budget](" + PLOTS + "/" + FIGURE + ".png) ([SVG](" + PLOTS + "/" + FIGURE
                + ".svg))");
        Map<String, Map<Integer, GradeSummary>> other = r.byRules().get(r.rules().other());
        md.heading(2, "Accuracy by budget").paragraph("Each cell: " + r.rules().label() + " rules / "
                + r.rules().other().label() + " rules (the headline first; `--rules` picks it).");
        md.table(java.util.stream.Stream.concat(java.util.stream.Stream.of("token"),
                java.util.Arrays.stream(o.budgets()).mapToObj(Integer::toString)).toArray(String[]::new));
        r.grades().forEach((row, byBudget) -> {
            List<Object> cells = new java.util.ArrayList<>();
            cells.add(row.equals(TttsRunner.BASELINE) ? "baseline"
                    : "`" + ReportText.cell(dev.mipeaks.analysis.TokenText.quote(row)) + "`");
            byBudget.forEach((x, s) -> cells.add(s.overall().total() == 0 ? "n/a" : ReportText.pct(s.overall())
                    + " / " + ReportText.pct(other.get(row).get(x).overall())));
            md.row(cells.toArray());
        });
        md.text("\n").paragraph(String.format(Locale.ROOT,
                "Generated %d tokens at %.1f tokens/s (all phases, prefill included).", r.generatedTokens(),
                r.tokensPerSecond()));
        int top = o.budgets()[o.budgets().length - 1];
        Markdown levels = new Markdown();
        r.grades().forEach((row, byBudget) -> {
            GradeSummary s = byBudget.get(top);
            if (s.overall().total() > 0 && (!s.byLevel().isEmpty() || !s.bySubject().isEmpty())) {
                levels.heading(3, row.equals(TttsRunner.BASELINE) ? "baseline" : ReportText.cell(row));
                ReportText.accuracyTables(levels, s);
            }
        });
        if (!levels.toString().isEmpty()) {
            md.heading(2, "By level and subject at budget " + top).text(levels);
        }
        md.heading(2, "Configuration");
        ReportText.configTable(md, cfg);
        return md.toString();
    }
}
