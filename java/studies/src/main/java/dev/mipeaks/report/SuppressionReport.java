package dev.mipeaks.report;

import dev.mipeaks.eval.Accuracy;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.study.RunFolder;
import dev.mipeaks.suppress.Condition;
import dev.mipeaks.suppress.SuppressionMetrics;
import dev.mipeaks.suppress.SuppressionRun;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** metrics.json, report.md and plots/accuracy_vs_n.{png,svg} of a suppression sweep. */
public final class SuppressionReport {
    private SuppressionReport() {
    }

    public static final String METRICS = "metrics.json";
    public static final String REPORT = "report.md";
    public static final String PLOT = "accuracy_vs_n";

    /** Writes the three into {@code dir}; returns the files written. */
    public static List<Path> write(SuppressionRun.Summary s, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        Path m = dir.resolve(METRICS);
        AtomicFiles.writeString(m, RunFolder.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(SuppressionMetrics.of(s)) + "\n");
        files.add(m);
        files.addAll(Figure.single(chart(s), 760, 480).save(dir.resolve("plots"), PLOT));
        Path r = dir.resolve(REPORT);
        AtomicFiles.writeString(r, markdown(s));
        files.add(r);
        return files;
    }

    /** The points of one curve: N = 0 (the unmasked arm, when run) then the arms of that condition. */
    static List<SuppressionRun.Arm> curve(SuppressionRun.Summary s, String condition) {
        List<SuppressionRun.Arm> out = new ArrayList<>();
        for (SuppressionRun.Arm a : s.arms()) {
            String n = a.condition().name();
            if (n.equals(Condition.NONE) || n.equals(condition)) {
                out.add(a);
            }
        }
        return out;
    }

    static JFreeChart chart(SuppressionRun.Summary s) {
        XYSeriesCollection ds = new XYSeriesCollection();
        for (String cond : List.of(Condition.THINKING, Condition.RANDOM)) {
            XYSeries series = new XYSeries(cond.equals(Condition.THINKING) ? "thinking tokens masked"
                    : "random tokens masked (seed " + s.options().seed() + ")");
            for (SuppressionRun.Arm a : curve(s, cond)) {
                if (a.total() > 0) {
                    series.add(a.condition().n(), 100 * a.accuracy());
                }
            }
            ds.addSeries(series);
        }
        JFreeChart c = ChartFactory.createXYLineChart("Accuracy when N thinking tokens are suppressed",
                "N (words masked: every id, with and without a leading space)", "accuracy (%)", ds,
                PlotOrientation.VERTICAL, true, false, false);
        c.setBackgroundPaint(Color.WHITE);
        c.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        c.addSubtitle(0, new TextTitle(ChartStyle.context(s.options().model().toString(), s.datasetName(), s.problems()),
                new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        XYPlot p = c.getXYPlot();
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(0xdddddd));
        p.setRangeGridlinePaint(new Color(0xdddddd));
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        Color[] colors = {new Color(0xd62728), new Color(0x1f77b4)};
        for (int i = 0; i < 2; i++) {
            r.setSeriesPaint(i, colors[i]);
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesShape(i, i == 0 ? new Ellipse2D.Double(-4, -4, 8, 8) : new Rectangle2D.Double(-4, -4, 8, 8));
        }
        p.setRenderer(r);
        NumberAxis x = (NumberAxis) p.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ChartStyle.accuracyAxis((NumberAxis) p.getRangeAxis());
        ChartStyle.zeroLine(p);
        return c;
    }

    static String markdown(SuppressionRun.Summary s) {
        SuppressionRun.Options o = s.options();
        Markdown md = new Markdown().heading(1, "Thinking-token suppression");
        md.paragraph(String.format(Locale.ROOT, "Model `%s`, dataset %s (%d problems from offset %d), prompt template "
                        + "`%s`, max %d new tokens, %s. Masked: every id of each word, with and without a leading space, "
                        + "set to -inf at every step. Thinking words: top N of %s. Random control: N words drawn with "
                        + "seed %d from the %d word-like tokens (ASCII letters after one leading space) that share no "
                        + "id with any thinking word.",
                o.model().label(), s.datasetName(), s.problems(), o.offset(), o.promptTemplate(), o.maxNewTokens(),
                o.temperature() == 0 ? "greedy" : "temperature " + o.temperature() + " top-p " + o.topP(),
                o.tokens(), o.seed(), s.plan().control().poolSize()));
        md.image("accuracy vs N", "plots/" + PLOT + ".png");
        md.paragraph("Accuracy under the strict rules, then under the paper's (the reference's Qwen2.5-Math grader).");
        md.table("N", "thinking: strict", "thinking: paper", "random: strict", "random: paper", "thinking words",
                "random words");
        for (int n : s.plan().counts()) {
            SuppressionRun.Arm t = find(s, n, n == 0 ? Condition.NONE : Condition.THINKING);
            SuppressionRun.Arm r = find(s, n, n == 0 ? Condition.NONE : Condition.RANDOM);
            md.row(n, acc(t), paperAcc(t), acc(r), paperAcc(r),
                    t == null ? "" : Markdown.cell(SuppressionRun.show(t.condition().words())),
                    r == null ? "" : Markdown.cell(SuppressionRun.show(r.condition().words())));
        }
        List<String> unmapped = s.arms().stream().flatMap(a -> a.condition().unmapped().stream()).distinct().toList();
        if (!unmapped.isEmpty()) {
            md.text("\nWords with no token in this vocabulary (they mask nothing): " + Markdown.cell(SuppressionRun.show(unmapped))
                    + ".\n");
        }
        md.text(String.format(Locale.ROOT, "%nThis invocation generated %d tokens in %.1f s (%.1f tokens/s with "
                + "prefill, %.1f tokens/s decoding alone, grading excluded); per-problem results are in the `*-nN.jsonl` "
                + "files, totals in `%s`.%n",
                s.generated(), s.generationNanos() / 1e9, s.tokensPerSecond(), s.decodeTokensPerSecond(), METRICS));
        return md.toString();
    }

    private static SuppressionRun.Arm find(SuppressionRun.Summary s, int n, String cond) {
        return s.arms().stream().filter(a -> a.condition().n() == n && a.condition().name().equals(cond)).findFirst()
                .orElse(null);
    }

    private static String acc(SuppressionRun.Arm a) {
        return a == null ? "n/a" : Accuracy.format(a.correct(), a.total());
    }

    private static String paperAcc(SuppressionRun.Arm a) {
        return a == null ? "n/a" : Accuracy.format(a.paperCorrect(), a.paperTotal());
    }
}
