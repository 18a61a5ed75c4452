package dev.mipeaks.analysis;

/**
 * Everything the analysis derives from one MI trajectory m[0..T) (one problem, one layer).
 *
 * <p>AOM (average outlier magnitude, issue 7): (1/|O|) sum_{i in O} |m_i - median(m)| / IQR(m), with O the steps
 * above Q3 + 1.5 IQR. It is undefined, and reported as {@link AomStatus} instead of a number, when
 * <ul>
 *   <li>IQR = 0 ({@code ZERO_IQR}): the denominator vanishes (a constant or nearly constant trajectory);</li>
 *   <li>O is empty ({@code NO_PEAK}): there is no outlier to measure. Such problems are excluded from the run's
 *   average rather than counted as 0, so that AOM measures how far peaks stand out, not how often they occur
 *   (the peak count is reported separately); the number excluded is reported beside the average;</li>
 *   <li>T = 0 ({@code EMPTY}).</li>
 * </ul>
 *
 * @param iqrPeaks steps above Q3 + 1.5 IQR, in step order
 * @param topK     the top-k steps, largest MI first
 * @param mean     mean of m (NaN when T = 0)
 * @param m2       sum of squared deviations from the mean (for pooled variances)
 * @param aom      the AOM, NaN unless {@code aomStatus == OK}
 */
public record SequenceStats(int steps, Quartiles quartiles, int[] iqrPeaks, int[] topK, double mean, double m2,
                            double aom, AomStatus aomStatus) {

    public enum AomStatus { OK, NO_PEAK, ZERO_IQR, EMPTY }

    public static SequenceStats of(double[] m, int k) {
        int t = m.length;
        if (t == 0) {
            return new SequenceStats(0, null, new int[0], new int[0], Double.NaN, 0, Double.NaN, AomStatus.EMPTY);
        }
        Quartiles q = Quartiles.of(m);
        int[] peaks = Peaks.above(m, q.upperFence());
        int[] top = Peaks.topK(m, k);
        double mean = 0;
        for (double v : m) {
            mean += v;
        }
        mean /= t;
        double m2 = 0;
        for (double v : m) {
            m2 += (v - mean) * (v - mean);
        }
        double iqr = q.iqr();
        double aom = Double.NaN;
        AomStatus status;
        if (iqr == 0) {
            status = AomStatus.ZERO_IQR;
        } else if (peaks.length == 0) {
            status = AomStatus.NO_PEAK;
        } else {
            double sum = 0;
            for (int i : peaks) {
                sum += Math.abs(m[i] - q.median()) / iqr;
            }
            aom = sum / peaks.length;
            status = AomStatus.OK;
        }
        return new SequenceStats(t, q, peaks, top, mean, m2, aom, status);
    }

    /** Population standard deviation of this trajectory (NaN when T = 0). */
    public double std() {
        return steps == 0 ? Double.NaN : Math.sqrt(m2 / steps);
    }

    public int[] peaks(PeakRule rule) {
        return rule == PeakRule.IQR ? iqrPeaks : topK;
    }
}
