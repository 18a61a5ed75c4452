package dev.mipeaks.eval;

import java.util.Locale;

/**
 * The one way accuracy is written for people, in the terminal and in every report: a percentage with one decimal
 * and the counts it comes from, {@code 42.0% (21/50)}; {@code n/a (0 graded)} when nothing was graded (never
 * "0.0%", which would read as "all wrong"). JSON outputs keep the plain fraction.
 */
public final class Accuracy {
    private Accuracy() {
    }

    /** {@code 42.0% (21/50)}, or {@code n/a (0 graded)}. */
    public static String format(int correct, int total) {
        if (total <= 0) {
            return "n/a (0 graded)";
        }
        return percent((double) correct / total) + " (" + correct + "/" + total + ")";
    }

    public static String format(GradeSummary.Count c) {
        return format(c.correct(), c.total());
    }

    /** A fraction as {@code 42.0%}; {@code n/a} when it is not a finite number. */
    public static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f%%", 100 * fraction) : "n/a";
    }
}
