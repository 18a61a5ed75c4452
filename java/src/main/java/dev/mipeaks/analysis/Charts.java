package dev.mipeaks.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** The analysis charts (JFreeChart), with titles, axis labels and legends set for reading at a glance. */
public final class Charts {
    private Charts() {
    }

    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    /** How a token is shown on a chart: control characters escaped, a lone space named. */
    public static String display(String token) {
        if (token.isBlank() && token.indexOf('\n') < 0 && token.indexOf('\t') < 0) {
            return token.length() == 1 ? "(space)" : "(" + token.length() + " spaces)";
        }
        return token.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    }

    private static void style(JFreeChart c) {
        c.setBackgroundPaint(Color.WHITE);
        if (c.getTitle() != null) {
            c.getTitle().setFont(TITLE);
        }
    }

    /**
     * One problem's MI trajectory with its IQR peaks (red dots), top-k steps (orange rings), the Q3 + 1.5 IQR threshold
     * (dashed) and the tokens at the highest IQR peaks.
     */
    public static JFreeChart trajectory(RunAnalysis.Trajectory t, int topK, boolean legend) {
        XYSeries line = new XYSeries("MI");
        for (int i = 0; i < t.mi().length; i++) {
            line.add(i, t.mi()[i]);
        }
        XYSeries iqr = new XYSeries("peak (> Q3 + 1.5 IQR)");
        for (int s : t.stats().iqrPeaks()) {
            iqr.add(s, t.mi()[s]);
        }
        XYSeries top = new XYSeries("top-" + topK);
        for (int s : t.stats().topK()) {
            top.add(s, t.mi()[s]);
        }
        XYSeriesCollection ds = new XYSeriesCollection();
        ds.addSeries(line);
        ds.addSeries(top);
        ds.addSeries(iqr);
        String title = "#" + t.index() + " " + t.id() + " (layer " + t.layer() + ", " + t.mi().length + " steps, "
                + t.stats().iqrPeaks().length + " peaks)";
        JFreeChart c = ChartFactory.createXYLineChart(title, "generation step", "MI", ds, PlotOrientation.VERTICAL,
                legend, false, false);
        style(c);
        c.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        XYPlot p = c.getXYPlot();
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(0xdddddd));
        p.setRangeGridlinePaint(new Color(0xdddddd));
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, true);
        r.setSeriesShapesVisible(0, false);
        r.setSeriesPaint(0, PALETTE[0]);
        r.setSeriesStroke(0, new BasicStroke(1.2f));
        r.setSeriesLinesVisible(1, false);
        r.setSeriesShapesVisible(1, true);
        r.setSeriesShapesFilled(1, false);
        r.setSeriesShape(1, new Ellipse2D.Double(-5, -5, 10, 10));
        r.setSeriesPaint(1, PALETTE[3]);
        r.setSeriesLinesVisible(2, false);
        r.setSeriesShapesVisible(2, true);
        r.setSeriesShape(2, new Ellipse2D.Double(-3, -3, 6, 6));
        r.setSeriesPaint(2, PALETTE[1]);
        p.setRenderer(r);
        if (t.stats().quartiles() != null) {
            ValueMarker m = new ValueMarker(t.stats().quartiles().upperFence());
            m.setPaint(Color.GRAY);
            m.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{4f, 4f}, 0f));
            m.setLabel("Q3 + 1.5 IQR");
            m.setLabelFont(LABEL);
            m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.BOTTOM_RIGHT);
            m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            p.addRangeMarker(m);
        }
        // label the highest IQR peaks with their tokens (at most 8, so panels stay readable)
        Integer[] peaks = Arrays.stream(t.stats().iqrPeaks()).boxed().toArray(Integer[]::new);
        Arrays.sort(peaks, Comparator.comparingDouble((Integer s) -> -t.mi()[s]));
        for (int i = 0; i < Math.min(8, peaks.length); i++) {
            int s = peaks[i];
            XYTextAnnotation a = new XYTextAnnotation(display(t.tokens().get(s)), s, t.mi()[s]);
            a.setFont(LABEL);
            a.setTextAnchor(TextAnchor.BOTTOM_CENTER);
            a.setPaint(PALETTE[1].darker());
            p.addAnnotation(a);
        }
        NumberAxis x = (NumberAxis) p.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return c;
    }

    /** Horizontal bars of the most frequent words at peaks. */
    public static JFreeChart thinkingTokens(List<ThinkingTokens.Row> rows, int top, String subtitle) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        List<String> seen = new ArrayList<>();
        for (ThinkingTokens.Row r : rows.subList(0, Math.min(top, rows.size()))) {
            String label = display(r.word());
            while (seen.contains(label)) {
                label = label + " ";
            }
            seen.add(label);
            ds.addValue(r.freq(), "tokens at peaks", label);
        }
        JFreeChart c = ChartFactory.createBarChart("Thinking tokens: words generated at MI peaks (top " + top + ")",
                "word", "count at peak steps", ds, PlotOrientation.HORIZONTAL, false, false, false);
        style(c);
        c.addSubtitle(new TextTitle(subtitle, LABEL));
        CategoryPlot p = c.getCategoryPlot();
        p.setBackgroundPaint(Color.WHITE);
        p.setRangeGridlinePaint(new Color(0xdddddd));
        p.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_LEFT);
        BarRenderer br = (BarRenderer) p.getRenderer();
        br.setBarPainter(new StandardBarPainter());
        br.setShadowVisible(false);
        br.setSeriesPaint(0, PALETTE[0]);
        CategoryAxis ca = p.getDomainAxis();
        ca.setTickLabelFont(new Font(Font.MONOSPACED, Font.PLAIN, 11));
        ((NumberAxis) p.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return c;
    }

    /** Mean MI per layer with a +-1 std band, one series per run. */
    public static JFreeChart miPerLayer(Map<String, Map<Integer, LayerStats>> runs) {
        YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
        for (Map.Entry<String, Map<Integer, LayerStats>> e : runs.entrySet()) {
            YIntervalSeries s = new YIntervalSeries(e.getKey() + " (mean +- std)");
            for (LayerStats ls : e.getValue().values()) {
                if (ls.mi().mean() != null) {
                    double m = ls.mi().mean();
                    double sd = ls.mi().std();
                    s.add(ls.layer(), m, m - sd, m + sd);
                }
            }
            ds.addSeries(s);
        }
        JFreeChart c = ChartFactory.createXYLineChart("MI per layer: mean over all steps, band = +-1 std",
                "layer", "MI", ds, PlotOrientation.VERTICAL, true, false, false);
        style(c);
        XYPlot p = c.getXYPlot();
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(0xdddddd));
        p.setRangeGridlinePaint(new Color(0xdddddd));
        DeviationRenderer r = new DeviationRenderer(true, true);
        for (int i = 0; i < ds.getSeriesCount(); i++) {
            Color col = PALETTE[i % PALETTE.length];
            r.setSeriesPaint(i, col);
            r.setSeriesFillPaint(i, col);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        r.setAlpha(0.2f);
        p.setRenderer(r);
        ((NumberAxis) p.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) p.getRangeAxis()).setAutoRangeIncludesZero(false);
        return c;
    }

    /** Overlaid MI histograms (same bins) of several runs at one layer. */
    public static JFreeChart histograms(Map<String, double[]> values, int layer, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] v : values.values()) {
            for (double d : v) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1e-9 + Math.abs(lo) * 1e-9;
        }
        HistogramDataset ds = new HistogramDataset();
        ds.setType(org.jfree.data.statistics.HistogramType.RELATIVE_FREQUENCY);
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            if (e.getValue().length > 0) {
                ds.addSeries(e.getKey() + " (" + e.getValue().length + " steps)", e.getValue(), bins, lo, hi);
            }
        }
        JFreeChart c = ChartFactory.createHistogram("MI distribution at layer " + layer + " (all steps of all problems)",
                "MI", "fraction of steps", ds, PlotOrientation.VERTICAL, true, false, false);
        style(c);
        XYPlot p = c.getXYPlot();
        p.setBackgroundPaint(Color.WHITE);
        p.setForegroundAlpha(0.55f);
        XYBarRenderer r = (XYBarRenderer) p.getRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        for (int i = 0; i < ds.getSeriesCount(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        return c;
    }

    /** The same problem's trajectories from several runs, overlaid, with each run's IQR peaks marked. */
    public static JFreeChart overlay(String title, Map<String, double[]> runs, boolean legend) {
        XYSeriesCollection ds = new XYSeriesCollection();
        List<Boolean> isPeaks = new ArrayList<>();
        for (Map.Entry<String, double[]> e : runs.entrySet()) {
            XYSeries s = new XYSeries(e.getKey());
            double[] m = e.getValue();
            for (int i = 0; i < m.length; i++) {
                s.add(i, m[i]);
            }
            ds.addSeries(s);
            isPeaks.add(false);
        }
        for (Map.Entry<String, double[]> e : runs.entrySet()) {
            XYSeries s = new XYSeries(e.getKey() + " peaks");
            for (int i : Peaks.iqrRule(e.getValue())) {
                s.add(i, e.getValue()[i]);
            }
            ds.addSeries(s);
            isPeaks.add(true);
        }
        JFreeChart c = ChartFactory.createXYLineChart(title, "generation step", "MI", ds, PlotOrientation.VERTICAL,
                legend, false, false);
        style(c);
        c.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        XYPlot p = c.getXYPlot();
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(0xdddddd));
        p.setRangeGridlinePaint(new Color(0xdddddd));
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        int n = runs.size();
        for (int i = 0; i < ds.getSeriesCount(); i++) {
            Color col = PALETTE[(i % n) % PALETTE.length];
            r.setSeriesPaint(i, col);
            boolean pk = isPeaks.get(i);
            r.setSeriesLinesVisible(i, !pk);
            r.setSeriesShapesVisible(i, pk);
            r.setSeriesShape(i, diamond(4));
            r.setSeriesVisibleInLegend(i, !pk);
            r.setSeriesStroke(i, new BasicStroke(1.2f));
        }
        p.setRenderer(r);
        ((NumberAxis) p.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return c;
    }

    private static Shape diamond(double s) {
        Path2D.Double d = new Path2D.Double();
        d.moveTo(0, -s);
        d.lineTo(s, 0);
        d.lineTo(0, s);
        d.lineTo(-s, 0);
        d.closePath();
        return d;
    }
}
