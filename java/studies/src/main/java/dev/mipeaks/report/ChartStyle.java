package dev.mipeaks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;

/** What every figure shares: the context line under a title, and the accuracy charts' axis and 0% line. */
public final class ChartStyle {
    private ChartStyle() {
    }

    /** The lowest value an accuracy axis shows: below 0 so that a curve at 0% stays visible above the axis. */
    public static final double ACCURACY_AXIS_MIN = -4;

    /** "model M, dataset D, N problems": the line every figure of a run carries under its title. */
    public static String context(String model, String dataset, int problems) {
        StringBuilder sb = new StringBuilder();
        if (model != null && !model.isBlank()) {
            sb.append("model ").append(shortName(model));
        }
        if (dataset != null && !dataset.isBlank()) {
            sb.append(sb.length() == 0 ? "" : ", ").append("dataset ").append(shortName(dataset));
        }
        sb.append(sb.length() == 0 ? "" : ", ").append(problems).append(problems == 1 ? " problem" : " problems");
        return sb.toString();
    }

    /** The last path component of a model or dataset path ("DeepSeek-R1-Distill-Llama-8B"); names stay as they are. */
    public static String shortName(String s) {
        if (s.indexOf('/') < 0 && s.indexOf('\\') < 0) {
            return s;
        }
        try {
            Path f = Path.of(s).getFileName();
            return f == null ? s : f.toString();
        } catch (RuntimeException e) {
            return s;
        }
    }

    /**
     * A percentage axis from just below 0 to just above 100, so that a curve at 0% or 100% is drawn clear of the
     * plot's edges (used by every accuracy chart).
     */
    public static void accuracyAxis(NumberAxis y) {
        y.setRange(ACCURACY_AXIS_MIN, 100 - ACCURACY_AXIS_MIN);
        y.setTickUnit(new NumberTickUnit(20));
    }

    /** A 0% reference line for accuracy charts (a curve at 0% then sits visibly on it, above the axis). */
    public static void zeroLine(XYPlot p) {
        ValueMarker m = new ValueMarker(0);
        m.setPaint(Color.GRAY);
        m.setStroke(new BasicStroke(0.8f));
        p.addRangeMarker(m);
    }
}
