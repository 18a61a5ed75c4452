package dev.mipeaks.report;

import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.LayerStats;
import dev.mipeaks.analysis.PeakRule;
import dev.mipeaks.analysis.Peaks;
import dev.mipeaks.analysis.PlainNumber;
import dev.mipeaks.analysis.RunAnalysis;
import dev.mipeaks.analysis.RunConfig;
import dev.mipeaks.analysis.ThinkingTokens;
import dev.mipeaks.analysis.TokenText;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The analysis charts (JFreeChart), with titles, axis labels and legends set for reading at a glance. Axes that show
 * MI name the estimator and its kernel width ({@link #miLabel}); token labels are {@link TokenText}'s.
 */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font PANEL_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 11);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final Color GRID = new Color(0xdddddd);

    /** Label text of the threshold marker and its legend entry. */
    public static final String THRESHOLD = "Q3 + 1.5 IQR";
    /** Peak labels per trajectory panel at most (the highest peaks). */
    public static final int MAX_LABELS = 6;
    /** Stacked label rows above the peaks; a label that fits in none is dropped. */
    static final int LABEL_LEVELS = 3;

    private static final BasicStroke DASHED = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
            new float[] {4f, 4f}, 0f);

    /** The y-axis name of MI: {@code MI (nhsic, sigma=50)} from the run's estimator and parameters. */
    public static String miLabel(RunConfig c) {
        Object sigma = c.params().get("sigma");
        if (sigma == null) {
            return "MI (" + c.estimator() + ")";
        }
        return "MI (" + c.estimator() + ", sigma=" + number(sigma) + ")";
    }

    /** 50.0 -> "50", 0.5 -> "0.5", "median" -> "median" ({@link PlainNumber}). */
    static String number(Object v) {
        return PlainNumber.format(v);
    }

    private static void style(JFreeChart c) {
        c.setBackgroundPaint(Color.WHITE);
        if (c.getTitle() != null) {
            c.getTitle().setFont(TITLE);
        }
    }

    private static void styleXY(XYPlot p) {
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(GRID);
        p.setRangeGridlinePaint(GRID);
    }

    // ---------------------------------------------------------------------------------------------- trajectories

    /** The legend of the trajectory panels for these options (one, for the whole figure). */
    public static LegendItemCollection trajectoryLegend(AnalysisOptions o) {
        LegendItemCollection items = new LegendItemCollection();
        items.add(lineItem("MI per step", PALETTE[0], new BasicStroke(1.5f)));
        if (o.rules().contains(PeakRule.IQR)) {
            LegendItem peak = new LegendItem("IQR peak (MI > " + THRESHOLD + "), labelled with its token");
            peak.setShape(new Ellipse2D.Double(-4, -4, 8, 8));
            peak.setShapeVisible(true);
            peak.setFillPaint(PALETTE[1]);
            peak.setLineVisible(false);
            items.add(peak);
            items.add(lineItem(THRESHOLD + " threshold", Color.GRAY, DASHED));
        }
        if (o.rules().contains(PeakRule.TOPK)) {
            String label = "top-" + o.topK() + " step" + (o.rules().contains(PeakRule.IQR) ? ""
                    : ", labelled with its token");
            items.add(new LegendItem(label, null, null, null, true, new Ellipse2D.Double(-5, -5, 10, 10), false,
                    Color.WHITE, true, PALETTE[3], new BasicStroke(1.5f), false, new Line2D.Double(-10, 0, 10, 0),
                    new BasicStroke(1f), PALETTE[3]));
        }
        return items;
    }

    private static LegendItem lineItem(String label, Color color, BasicStroke stroke) {
        LegendItem li = new LegendItem(label);
        li.setLine(new Line2D.Double(-10, 0, 10, 0));
        li.setLineVisible(true);
        li.setLinePaint(color);
        li.setLineStroke(stroke);
        li.setShapeVisible(false);
        return li;
    }

    /**
     * One problem's MI trajectory, drawn for the rules in {@code o}: IQR peaks (red dots) and the Q3 + 1.5 IQR
     * threshold (dashed; kept in view, or noted in a subtitle when it lies far above the data), top-k steps
     * (orange rings). The highest peaks of the first rule carry their token ({@link TokenText#show}) on a leader
     * line; labels are stacked in rows so that they do not overlap, turned inwards at the panel's edges, and the
     * y axis leaves room above the data for them. The panel has no legend: use {@link #trajectoryLegend}.
     *
     * @param plotWidth the panel's width in pixels (label placement)
     * @param plotHeight the panel's height in pixels
     */
    public static JFreeChart trajectory(RunAnalysis.Trajectory t, AnalysisOptions o, String yLabel, int plotWidth,
                                        int plotHeight) {
        double[] mi = t.mi();
        boolean iqr = o.rules().contains(PeakRule.IQR);
        boolean topk = o.rules().contains(PeakRule.TOPK);
        XYSeries line = new XYSeries("MI");
        for (int i = 0; i < mi.length; i++) {
            line.add(i, mi[i]);
        }
        XYSeries top = new XYSeries("top-" + o.topK());
        if (topk) {
            for (int s : t.stats().topK()) {
                top.add(s, mi[s]);
            }
        }
        XYSeries peaks = new XYSeries("IQR peaks");
        if (iqr) {
            for (int s : t.stats().iqrPeaks()) {
                peaks.add(s, mi[s]);
            }
        }
        XYSeriesCollection ds = new XYSeriesCollection();
        ds.addSeries(line);
        ds.addSeries(top);
        ds.addSeries(peaks);
        StringBuilder title = new StringBuilder("#" + t.index() + " " + t.id() + ": " + mi.length + " steps");
        if (iqr) {
            title.append(", ").append(t.stats().iqrPeaks().length).append(" IQR peaks");
        }
        if (topk && !iqr) {
            title.append(", top-").append(o.topK());
        }
        JFreeChart c = ChartFactory.createXYLineChart(title.toString(), "generation step", yLabel, ds,
                PlotOrientation.VERTICAL, false, false, false);
        style(c);
        c.getTitle().setFont(PANEL_TITLE);
        XYPlot p = c.getXYPlot();
        styleXY(p);
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
        NumberAxis x = (NumberAxis) p.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (mi.length == 0) {
            return c;
        }
        double lo = Arrays.stream(mi).min().orElse(0);
        double hi = Arrays.stream(mi).max().orElse(0);
        double span = hi - lo > 0 ? hi - lo : Math.max(Math.abs(hi), 1e-9) * 0.1;
        Double threshold = iqr && t.stats().quartiles() != null ? t.stats().quartiles().upperFence() : null;
        if (threshold != null) {
            // in view when that keeps the data on at least half the height; otherwise noted under the title
            if (threshold <= hi + span && threshold >= lo - span) {
                ValueMarker m = new ValueMarker(threshold);
                m.setPaint(Color.GRAY);
                m.setStroke(DASHED);
                m.setLabel(THRESHOLD);
                m.setLabelFont(LABEL);
                m.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
                m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
                p.addRangeMarker(m);
                lo = Math.min(lo, threshold);
                hi = Math.max(hi, threshold);
                span = hi - lo > 0 ? hi - lo : span;
            } else {
                TextTitle note = new TextTitle(String.format(Locale.ROOT, "%s = %s is off scale (%s the data)", THRESHOLD,
                        fmt(threshold), threshold > hi ? "above" : "below"), LABEL);
                note.setPaint(Color.DARK_GRAY);
                c.addSubtitle(note);
            }
        }
        int[] labelled = iqr ? t.stats().iqrPeaks() : t.stats().topK();
        // room above the data for the stacked labels (reserved in full whenever there is a peak to label, so that
        // label placement knows where every point will be drawn): pixels needed / pixels of the plot area
        double plotPx = Math.max(60, plotHeight - 80);
        double need = labelled.length == 0 ? 8 : labelRise(LABEL_LEVELS - 1) + METRICS.getHeight() + 6;
        double frac = Math.min(0.6, need / plotPx);
        double bottom = lo - 0.05 * span;
        double upper = hi + (hi - bottom) * frac / (1 - frac);
        NumberAxis y = (NumberAxis) p.getRangeAxis();
        y.setAutoRangeIncludesZero(false);
        y.setRange(bottom, upper);
        labelPeaks(p, t, labelled, bottom, upper, plotWidth - 80, plotPx);
        return c;
    }

    private static String fmt(double v) {
        return Math.abs(v) != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)
                ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4g", v);
    }

    /** Pixels from a peak to the bottom of its label at stacking level {@code level}. */
    static double labelRise(int level) {
        return 14 + 15 * level;
    }

    private static final FontMetrics METRICS;

    static {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        METRICS = img.createGraphics().getFontMetrics(LABEL);
    }

    /**
     * Places the labels of the {@link #MAX_LABELS} highest of {@code steps} on leader lines, each at the lowest
     * stacking level where its box (estimated in pixels from the axis range and the plot's size) overlaps no label
     * placed before; a label that fits nowhere is dropped. Labels at the panel's edges are turned inwards. Returns
     * the number of labels placed.
     */
    static int labelPeaks(XYPlot p, RunAnalysis.Trajectory t, int[] steps, double yLo, double yHi, int widthPx,
                          double heightPx) {
        double[] mi = t.mi();
        Integer[] order = Arrays.stream(steps).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer s) -> -mi[s]).thenComparingInt(s -> s));
        int n = Math.min(MAX_LABELS, order.length);
        double xMax = Math.max(1, mi.length - 1);
        double textH = METRICS.getHeight() + 2;
        List<Rectangle2D> taken = new ArrayList<>();
        int placed = 0;
        for (int i = 0; i < n; i++) {
            int s = order[i];
            String text = TokenText.show(t.tokens().get(s), t.tokenIds()[s]);
            double w = METRICS.stringWidth(text) + 10;
            double px = s / xMax * widthPx;
            double py = (yHi - mi[s]) / (yHi - yLo) * heightPx;
            TextAnchor anchor;
            double left;
            if (px - w / 2 < 0) {
                anchor = TextAnchor.BOTTOM_LEFT;
                left = px - 4;
            } else if (px + w / 2 > widthPx) {
                anchor = TextAnchor.BOTTOM_RIGHT;
                left = px - w + 4;
            } else {
                anchor = TextAnchor.BOTTOM_CENTER;
                left = px - w / 2;
            }
            int level = -1;
            Rectangle2D box = null;
            for (int l = 0; l < LABEL_LEVELS && level < 0; l++) {
                Rectangle2D b = new Rectangle2D.Double(left, py - labelRise(l) - textH - 2, w, textH + 4);
                if (taken.stream().noneMatch(b::intersects)) {
                    level = l;
                    box = b;
                }
            }
            if (level < 0) {
                continue; // no room: this peak stays unlabelled rather than overlapping another label
            }
            taken.add(box);
            XYPointerAnnotation a = new XYPointerAnnotation(text, s, mi[s], -Math.PI / 2);
            a.setBaseRadius(labelRise(level));
            a.setTipRadius(3);
            a.setLabelOffset(2);
            a.setArrowLength(3);
            a.setArrowWidth(2);
            a.setArrowPaint(Color.GRAY);
            a.setFont(LABEL);
            a.setTextAnchor(anchor);
            a.setPaint(PALETTE[1].darker());
            a.setBackgroundPaint(new Color(255, 255, 255, 210));
            a.setToolTipText(text); // SVG tooltips, and the label's bounds in a ChartRenderingInfo
            p.addAnnotation(a);
            placed++;
        }
        return placed;
    }

    /** The peak labels placed on a trajectory chart (for tests and callers that list them). */
    public static List<XYPointerAnnotation> peakLabels(JFreeChart c) {
        List<XYPointerAnnotation> out = new ArrayList<>();
        for (Object a : c.getXYPlot().getAnnotations()) {
            if (a instanceof XYPointerAnnotation pa) {
                out.add(pa);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- other charts

    /**
     * Horizontal bars of the most frequent words at peaks (at most {@code top}); the title counts the bars
     * actually drawn.
     */
    public static JFreeChart thinkingTokens(List<ThinkingTokens.Row> rows, int top, String subtitle) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        List<ThinkingTokens.Row> shown = rows.subList(0, Math.min(top, rows.size()));
        for (ThinkingTokens.Row r : shown) {
            ds.addValue(r.freq(), "tokens at peaks", r.shown()); // ids make every label distinct
        }
        String title = shown.size() == rows.size()
                ? "Thinking tokens: all " + rows.size() + " words generated at MI peaks"
                : "Thinking tokens: the " + shown.size() + " most frequent of " + rows.size() + " words at MI peaks";
        JFreeChart c = ChartFactory.createBarChart(title, "word (token ids)", "count at peak steps", ds,
                PlotOrientation.HORIZONTAL, false, false, false);
        style(c);
        if (subtitle != null) {
            c.addSubtitle(new TextTitle(subtitle, LABEL));
        }
        CategoryPlot p = c.getCategoryPlot();
        p.setBackgroundPaint(Color.WHITE);
        p.setRangeGridlinePaint(GRID);
        p.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_LEFT);
        BarRenderer br = (BarRenderer) p.getRenderer();
        br.setBarPainter(new StandardBarPainter());
        br.setShadowVisible(false);
        br.setSeriesPaint(0, PALETTE[0]);
        CategoryAxis ca = p.getDomainAxis();
        ca.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        ca.setMaximumCategoryLabelWidthRatio(0.45f);
        ((NumberAxis) p.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return c;
    }

    /** Mean MI per layer with a +-1 std band, one series per run. */
    public static JFreeChart miPerLayer(Map<String, Map<Integer, LayerStats>> runs, String yLabel, String subtitle) {
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
                "layer", yLabel, ds, PlotOrientation.VERTICAL, true, false, false);
        style(c);
        if (subtitle != null) {
            c.addSubtitle(0, new TextTitle(subtitle, LABEL));
        }
        XYPlot p = c.getXYPlot();
        styleXY(p);
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
    public static JFreeChart histograms(Map<String, double[]> values, int layer, int bins, String xLabel,
                                        String subtitle) {
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
                xLabel, "fraction of steps", ds, PlotOrientation.VERTICAL, true, false, false);
        style(c);
        if (subtitle != null) {
            c.addSubtitle(0, new TextTitle(subtitle, LABEL));
        }
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

    /** The legend of {@link #overlay} panels: one line per run. */
    public static LegendItemCollection overlayLegend(List<String> runs) {
        LegendItemCollection items = new LegendItemCollection();
        for (int i = 0; i < runs.size(); i++) {
            items.add(lineItem(runs.get(i), PALETTE[i % PALETTE.length], new BasicStroke(1.5f)));
        }
        LegendItem pk = new LegendItem("IQR peaks of each run");
        pk.setShape(diamond(4));
        pk.setShapeVisible(true);
        pk.setFillPaint(Color.DARK_GRAY);
        pk.setLineVisible(false);
        items.add(pk);
        return items;
    }

    /** The same problem's trajectories from several runs, overlaid, with each run's IQR peaks marked; no legend. */
    public static JFreeChart overlay(String title, Map<String, double[]> runs, String yLabel) {
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
        JFreeChart c = ChartFactory.createXYLineChart(title, "generation step", yLabel, ds, PlotOrientation.VERTICAL,
                false, false, false);
        style(c);
        c.getTitle().setFont(PANEL_TITLE);
        XYPlot p = c.getXYPlot();
        styleXY(p);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        int n = runs.size();
        for (int i = 0; i < ds.getSeriesCount(); i++) {
            Color col = PALETTE[(i % n) % PALETTE.length];
            r.setSeriesPaint(i, col);
            boolean pk = isPeaks.get(i);
            r.setSeriesLinesVisible(i, !pk);
            r.setSeriesShapesVisible(i, pk);
            r.setSeriesShape(i, diamond(4));
            r.setSeriesStroke(i, new BasicStroke(1.2f));
        }
        p.setRenderer(r);
        ((NumberAxis) p.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return c;
    }

    /**
     * Logit-lens agreement by layer: the share of lensed steps whose lens token is the generated token.
     *
     * @param lastLayer the model's last layer (its lens is the logits that chose the token: it agrees by
     *                  construction under greedy decoding), or null when unknown
     */
    public static JFreeChart lensAgreement(Map<Integer, Double> agreement, Integer lastLayer, String subtitle) {
        XYSeries s = new XYSeries("lens token = generated token");
        agreement.forEach((l, v) -> {
            if (v != null) {
                s.add((double) l, 100 * v);
            }
        });
        XYSeriesCollection ds = new XYSeriesCollection(s);
        JFreeChart c = ChartFactory.createXYLineChart("Logit lens at MI peaks: agreement with the generated token",
                "layer", "agreement (% of lensed steps)", ds, PlotOrientation.VERTICAL, false, false, false);
        style(c);
        if (subtitle != null) {
            c.addSubtitle(new TextTitle(subtitle, LABEL));
        }
        if (lastLayer != null && agreement.containsKey(lastLayer)) {
            TextTitle note = new TextTitle("layer " + lastLayer + " is the model's last: its lens is the output "
                    + "itself, so it agrees by construction under greedy decoding", LABEL);
            note.setPaint(Color.DARK_GRAY);
            c.addSubtitle(note);
        }
        XYPlot p = c.getXYPlot();
        styleXY(p);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, PALETTE[0]);
        r.setSeriesStroke(0, new BasicStroke(2f));
        r.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        p.setRenderer(r);
        NumberAxis x = (NumberAxis) p.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (s.getItemCount() > 0) {
            x.setRange(s.getMinX() - 0.5, s.getMaxX() + 0.5); // the first and last layer clear of the edges
        }
        ChartStyle.accuracyAxis((NumberAxis) p.getRangeAxis());
        return c;
    }

    /**
     * The sigma sweep's mean Jaccard matrix at one layer and rule as a heatmap (white 0 to dark blue 1), each cell
     * printed with its value.
     */
    public static JFreeChart jaccardHeatmap(List<String> sigmas, double[][] j, String title) {
        int n = sigmas.size();
        double[] xs = new double[n * n];
        double[] ys = new double[n * n];
        double[] zs = new double[n * n];
        int k = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                xs[k] = b;
                ys[k] = a;
                zs[k] = j[a][b];
                k++;
            }
        }
        DefaultXYZDataset ds = new DefaultXYZDataset();
        ds.addSeries("jaccard", new double[][] {xs, ys, zs});
        String[] labels = sigmas.stream().map(s -> "sigma=" + s).toArray(String[]::new);
        SymbolAxis x = new SymbolAxis("kernel width", labels);
        SymbolAxis y = new SymbolAxis("kernel width", labels);
        y.setInverted(true);
        XYBlockRenderer r = new XYBlockRenderer();
        r.setPaintScale(new BluePaintScale());
        XYPlot p = new XYPlot(ds, x, y, r);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinesVisible(false);
        p.setRangeGridlinesVisible(false);
        for (int i = 0; i < n * n; i++) {
            XYTextAnnotation a = new XYTextAnnotation(String.format(Locale.ROOT, "%.2f", zs[i]), xs[i], ys[i]);
            a.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            a.setPaint(zs[i] > 0.55 ? Color.WHITE : Color.BLACK);
            p.addAnnotation(a);
        }
        JFreeChart c = new JFreeChart(title, PANEL_TITLE, p, false);
        c.setBackgroundPaint(Color.WHITE);
        return c;
    }

    /** 0 -> white, 1 -> dark blue. */
    static final class BluePaintScale implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double v) {
            double t = Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
            int r = (int) Math.round(255 + t * (0x08 - 255));
            int g = (int) Math.round(255 + t * (0x30 - 255));
            int b = (int) Math.round(255 + t * (0x6b - 255));
            return new Color(r, g, b);
        }
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
