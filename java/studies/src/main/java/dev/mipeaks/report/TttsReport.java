package dev.mipeaks.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.scaling.TttsRunner;
import dev.mipeaks.scaling.TttsSummary.Result;
import dev.mipeaks.study.RunFolder;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * report.md and the accuracy-vs-budget figure (plots/ttts_accuracy.png/.svg: one panel per thinking
 * token, its accuracy against the baseline's, one title with model, dataset and problem count, one legend) of a TTTS
 * run folder, from its {@link Result} (TttsRunner takes the writer from its caller).
 */
public final class TttsReport {
    public static final String FIGURE = "ttts_accuracy";
    /** The figure's folder inside the run folder. */
    public static final String PLOTS = "plots";

    private TttsReport() {
    }

    /** Writes the figure and report.md into the folder (dev.mipeaks.scaling.TttsRunner.Report). */
    public static void write(RunFolder folder, ObjectNode cfg, TttsRunner.Options o, Result r) throws IOException {
        String dataset = cfg.path("dataset").asText();
        java.util.Set<Integer> problems = new java.util.HashSet<>();
        folder.lines(RunFolder.RESULTS).forEach(l -> problems.add(l.path("index").asInt()));
        figure(r, o, ChartStyle.context(cfg.path("model").asText(null), dataset, problems.size()))
                .save(folder.dir().resolve(PLOTS), FIGURE);
        folder.writeText(RunFolder.REPORT, markdown(cfg, o, r));
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
