package dev.mipeaks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.PeakRule;
import dev.mipeaks.analysis.RunAnalysis;
import dev.mipeaks.analysis.RunConfig;
import dev.mipeaks.analysis.RunReader;
import dev.mipeaks.analysis.SequenceStats;
import dev.mipeaks.analysis.SyntheticRun;
import dev.mipeaks.analysis.ThinkingTokens;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.entity.ChartEntity;
import org.jfree.chart.entity.XYAnnotationEntity;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.data.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures, checked through the chart objects (and the label geometry JFreeChart reports), not pixels. */
class ChartsTest {
    @TempDir
    Path tmp;

    static RunAnalysis analysis(Path dir, int problems, int plotted, AnalysisOptions base) throws Exception {
        SyntheticRun s = new SyntheticRun();
        s.problems = problems;
        s.write(dir);
        AnalysisOptions o = new AnalysisOptions(base.topK(), base.rules(), base.layer(), plotted, base.includeSpecial());
        return RunAnalysis.analyze(RunReader.open(dir), o);
    }

    static RunAnalysis.Trajectory trajectory(double[] mi, int k) {
        List<String> tokens = new ArrayList<>();
        int[] ids = new int[mi.length];
        for (int i = 0; i < mi.length; i++) {
            tokens.add(i % 3 == 0 ? "\tSo" : " Wait");
            ids[i] = 1000 + i;
        }
        return new RunAnalysis.Trajectory(0, "p0", 5, mi, tokens, ids, SequenceStats.of(mi, k));
    }

    static final AnalysisOptions BOTH = AnalysisOptions.defaults();
    static final AnalysisOptions IQR = new AnalysisOptions(20, List.of(PeakRule.IQR), null, 12);
    static final AnalysisOptions TOPK = new AnalysisOptions(5, List.of(PeakRule.TOPK), null, 12);

    @Test
    void gridIsSizedToTheProblemsAndHasOneLegendAndTitle() throws Exception {
        RunAnalysis two = analysis(tmp.resolve("a"), 12, 2, BOTH);
        RunAnalysis nine = analysis(tmp.resolve("b"), 12, 9, BOTH);
        RunAnalysis one = analysis(tmp.resolve("c"), 12, 1, BOTH);
        Figure f1 = RunReport.trajectoryFigure(one);
        Figure f2 = RunReport.trajectoryFigure(two);
        Figure f9 = RunReport.trajectoryFigure(nine);
        assertEquals(1, f1.columns());
        assertEquals(2, f2.columns());
        assertEquals(3, f9.columns());
        assertTrue(f9.height() > f2.height() && f2.height() >= f1.height(), f1.height() + " " + f2.height() + " " + f9.height());
        // 9 panels: 3 rows of readable panels, not a strip
        assertTrue(f9.height() >= 3 * RunReport.PANEL_HEIGHT, "height " + f9.height());
        assertTrue(f9.width() < 2 * f9.height(), f9.width() + "x" + f9.height());
        for (Figure f : List.of(f1, f2, f9)) {
            assertEquals(1, f.legendCount(), "one legend for the whole figure");
            assertTrue(f.charts().stream().allMatch(c -> c.getLegend() == null));
            assertTrue(f.title().contains("layer 5"), f.title());
            assertTrue(f.subtitle().contains("model model") && f.subtitle().contains("dataset synthetic.jsonl")
                    && f.subtitle().contains("12 problems"), f.subtitle());
        }
        assertTrue(f2.title().contains("first 2 of 12"), f2.title());
        Path saved = f9.save(tmp.resolve("plots"), "t").get(0);
        BufferedImage img = javax.imageio.ImageIO.read(saved.toFile());
        assertEquals(f9.width(), img.getWidth());
        assertEquals(f9.height(), img.getHeight());
    }

    @Test
    void yAxisNamesTheEstimatorAndSigma() throws Exception {
        RunAnalysis a = analysis(tmp.resolve("r"), 3, 3, BOTH);
        assertEquals("MI (nhsic, sigma=50)", Charts.miLabel(a.run().config()));
        for (JFreeChart c : RunReport.trajectoryFigure(a).charts()) {
            assertEquals("MI (nhsic, sigma=50)", c.getXYPlot().getRangeAxis().getLabel());
        }
        RunConfig median = new RunConfig("m", "d", List.of(1), "nhsic", Map.of("sigma", "median", "eps", 1e-5), 10,
                null, null, null);
        assertEquals("MI (nhsic, sigma=median)", Charts.miLabel(median));
        RunConfig none = new RunConfig("m", "d", List.of(1), "cka-linear", Map.of(), 10, null, null, null);
        assertEquals("MI (cka-linear)", Charts.miLabel(none));
    }

    @Test
    void thresholdIsDrawnInViewOrNotedWhenOffScale() {
        double[] spiky = new double[40];
        Arrays.fill(spiky, 0.2);
        for (int i = 0; i < spiky.length; i++) {
            spiky[i] += 0.001 * (i % 7);
        }
        spiky[10] = 0.9;
        spiky[30] = 0.8;
        JFreeChart c = Charts.trajectory(trajectory(spiky, 20), IQR, "MI", 600, 360);
        XYPlot p = c.getXYPlot();
        assertEquals(1, p.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND).size());
        double thr = SequenceStats.of(spiky, 20).quartiles().upperFence();
        assertTrue(p.getRangeAxis().getRange().contains(thr));
        assertFalse(subtitles(c).stream().anyMatch(s -> s.contains("off scale")));

        // a flat trajectory without peaks whose threshold lies above its values: kept in view
        double[] flat = {0.20, 0.21, 0.22, 0.21, 0.20, 0.22, 0.21, 0.20};
        JFreeChart f = Charts.trajectory(trajectory(flat, 20), IQR, "MI", 600, 360);
        double ft = SequenceStats.of(flat, 20).quartiles().upperFence();
        assertTrue(ft > 0.22);
        assertTrue(f.getXYPlot().getRangeAxis().getRange().contains(ft), f.getXYPlot().getRangeAxis().getRange() + " " + ft);

        // two levels: Q3 + 1.5 IQR is far above every value, so it is noted rather than squashing the data
        double[] twoLevels = {0, 0, 0, 0, 1, 1, 1, 1};
        JFreeChart t = Charts.trajectory(trajectory(twoLevels, 20), IQR, "MI", 600, 360);
        assertNull(t.getXYPlot().getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND));
        assertTrue(subtitles(t).stream().anyMatch(s -> s.contains("Q3 + 1.5 IQR = 2.5") && s.contains("above")),
                subtitles(t).toString());
    }

    static List<String> subtitles(JFreeChart c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < c.getSubtitleCount(); i++) {
            Title t = c.getSubtitle(i);
            if (t instanceof TextTitle tt) {
                out.add(tt.getText());
            }
        }
        return out;
    }

    @Test
    void theRuleDecidesWhatIsDrawn() {
        double[] mi = new double[60];
        for (int i = 0; i < mi.length; i++) {
            mi[i] = 0.3 + 0.01 * Math.sin(i) + (i % 17 == 0 ? 0.5 : 0);
        }
        JFreeChart iqr = Charts.trajectory(trajectory(mi, 20), IQR, "MI", 600, 360);
        JFreeChart topk = Charts.trajectory(trajectory(mi, 5), TOPK, "MI", 600, 360);
        JFreeChart both = Charts.trajectory(trajectory(mi, 20), BOTH, "MI", 600, 360);
        // series: 0 MI, 1 top-k rings, 2 IQR dots
        assertEquals(0, iqr.getXYPlot().getDataset().getItemCount(1), "--rule iqr draws no top-k rings");
        assertTrue(iqr.getXYPlot().getDataset().getItemCount(2) > 0);
        assertEquals(5, topk.getXYPlot().getDataset().getItemCount(1));
        assertEquals(0, topk.getXYPlot().getDataset().getItemCount(2), "--rule topk draws no IQR dots");
        assertNull(topk.getXYPlot().getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND), "nor the IQR threshold");
        assertEquals(20, both.getXYPlot().getDataset().getItemCount(1));
        assertTrue(both.getXYPlot().getDataset().getItemCount(2) > 0);
        // labels name the rule's peaks: top-k's when it is the only rule
        List<Integer> top = Arrays.stream(SequenceStats.of(mi, 5).topK()).boxed().toList();
        for (XYPointerAnnotation a : Charts.peakLabels(topk)) {
            assertTrue(top.contains((int) a.getX()), "label at " + a.getX());
        }
        assertEquals(List.of("MI per step", "IQR peak (MI > Q3 + 1.5 IQR), labelled with its token",
                "Q3 + 1.5 IQR threshold"), labels(Charts.trajectoryLegend(IQR)));
        assertEquals(List.of("MI per step", "top-5 step, labelled with its token"), labels(Charts.trajectoryLegend(TOPK)));
        assertEquals(4, labels(Charts.trajectoryLegend(BOTH)).size());
    }

    static List<String> labels(org.jfree.chart.LegendItemCollection items) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.getItemCount(); i++) {
            LegendItem li = items.get(i);
            out.add(li.getLabel());
        }
        return out;
    }

    @Test
    void peakLabelsShowTextAndIdAndNeitherOverlapNorLeaveThePlot() {
        // many close peaks, some at the very edges: the worst case for labels
        double[] mi = new double[50];
        Arrays.fill(mi, 0.1);
        for (int s : new int[] {0, 1, 2, 3, 4, 24, 25, 26, 47, 48, 49}) {
            mi[s] = 0.9 + 0.001 * s;
        }
        // peaks of falling height side by side: a higher neighbour's label must not sit on a lower one's
        double[] falling = new double[48];
        for (int i = 0; i < falling.length; i++) {
            falling[i] = i < 4 ? 0.1 - 0.007 * i * i : 0.06 - 0.001 * i;
        }
        check(mi);
        check(falling);
    }

    private static void check(double[] mi) {
        for (int w : new int[] {600, 420}) {
            JFreeChart c = Charts.trajectory(trajectory(mi, 20), IQR, "MI (nhsic, sigma=50)", w, 360);
            List<XYPointerAnnotation> labels = Charts.peakLabels(c);
            assertTrue(!labels.isEmpty() && labels.size() <= Charts.MAX_LABELS, "labels " + labels.size());
            for (XYPointerAnnotation a : labels) {
                int id = 1000 + (int) a.getX();
                assertTrue(a.getText().endsWith("(" + id + ")"), a.getText());
                assertTrue(a.getText().startsWith("\"\\tSo\"") || a.getText().startsWith("\" Wait\""), a.getText());
            }
            ChartRenderingInfo info = new ChartRenderingInfo();
            BufferedImage img = new BufferedImage(w, 360, BufferedImage.TYPE_INT_RGB);
            c.draw(img.createGraphics(), new Rectangle2D.Double(0, 0, w, 360), info);
            Rectangle2D data = info.getPlotInfo().getDataArea();
            List<Rectangle2D> boxes = new ArrayList<>();
            for (Object o : info.getEntityCollection().getEntities()) {
                if (o instanceof XYAnnotationEntity e) {
                    boxes.add(((ChartEntity) e).getArea().getBounds2D());
                }
            }
            assertEquals(labels.size(), boxes.size());
            for (int i = 0; i < boxes.size(); i++) {
                Rectangle2D b = boxes.get(i);
                assertTrue(data.getMinX() - 0.5 <= b.getMinX() && b.getMaxX() <= data.getMaxX() + 0.5
                        && data.getMinY() - 0.5 <= b.getMinY(), "label " + b + " leaves the plot " + data + " at width " + w);
                for (int j = i + 1; j < boxes.size(); j++) {
                    Rectangle2D inter = b.createIntersection(boxes.get(j));
                    assertTrue(inter.isEmpty() || inter.getWidth() * inter.getHeight() < 1,
                            "labels overlap: " + b + " " + boxes.get(j));
                }
            }
        }
    }

    @Test
    void thinkingTokenBarsSayHowManyTheyShow() {
        List<ThinkingTokens.Row> rows = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            rows.add(new ThinkingTokens.Row("w" + i, 100 - i, new int[] {i}));
        }
        JFreeChart c = Charts.thinkingTokens(rows, 20, "sub");
        assertTrue(c.getTitle().getText().contains("all 15 words"), c.getTitle().getText());
        assertEquals(15, c.getCategoryPlot().getDataset().getColumnCount());
        List<ThinkingTokens.Row> more = new ArrayList<>(rows);
        for (int i = 15; i < 30; i++) {
            more.add(new ThinkingTokens.Row("\t" + i, 10, new int[] {i, i + 100}));
        }
        JFreeChart d = Charts.thinkingTokens(more, 20, "sub");
        assertTrue(d.getTitle().getText().contains("the 20 most frequent of 30"), d.getTitle().getText());
        assertEquals(20, d.getCategoryPlot().getDataset().getColumnCount());
        assertEquals("\"\\t15\" (15, 115)", d.getCategoryPlot().getDataset().getColumnKey(15));
    }

    @Test
    void accuracyAxesKeepZeroVisible() {
        JFreeChart lens = Charts.lensAgreement(Map.of(0, 0.0, 1, 0.5, 2, 1.0), 2, "ctx");
        Range r = lens.getXYPlot().getRangeAxis().getRange();
        assertTrue(r.getLowerBound() < 0 && r.getUpperBound() > 100, r.toString());
        assertTrue(subtitles(lens).stream().anyMatch(s -> s.contains("agrees by construction")), subtitles(lens).toString());
        assertFalse(subtitles(Charts.lensAgreement(Map.of(0, 0.0), 2, "ctx")).stream()
                .anyMatch(s -> s.contains("agrees by construction")), "no note when the last layer was not lensed");
    }

    @Test
    void jaccardHeatmapPrintsEveryCell() {
        double[][] j = {{1, 0.5, 0.25}, {0.5, 1, 0.75}, {0.25, 0.75, 1}};
        JFreeChart c = Charts.jaccardHeatmap(List.of("50", "100", "median"), j, "layer 2, IQR peaks");
        List<String> cells = new ArrayList<>();
        for (Object a : c.getXYPlot().getAnnotations()) {
            cells.add(((org.jfree.chart.annotations.XYTextAnnotation) a).getText());
        }
        Collections.sort(cells);
        assertEquals(List.of("0.25", "0.25", "0.50", "0.50", "0.75", "0.75", "1.00", "1.00", "1.00"), cells);
        assertEquals("sigma=median", ((org.jfree.chart.axis.SymbolAxis) c.getXYPlot().getDomainAxis()).getSymbols()[2]);
    }
}
