package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Quartiles, peak rules, intervals, AOM and the Table 1 aggregates on small hand-computed arrays. */
class PeakStatisticsTest {
    static final double[] A = {1, 2, 3, 4, 100};       // Q1 2, median 3, Q3 4, IQR 2, fence 7: peak at step 4
    static final double[] B = {5, 1, 9, 3};            // sorted 1 3 5 9: Q1 = 1.5 -> 2.5, Q3 = 2.25 -> 6, fence 11.25
    static final double[] C = {2, 2, 2, 2};            // constant: IQR 0, no step > Q3
    static final double[] D = {0, 0, 0, 0, 0, 0, 1};   // IQR 0: the rule reads m > Q3 = 0, so step 6 is a peak

    @Test
    void quartilesFollowNumpyLinear() {
        assertEquals(new Quartiles(2, 3, 4), Quartiles.of(A));
        assertEquals(new Quartiles(2.5, 4, 6), Quartiles.of(B));
        assertEquals(new Quartiles(2, 2, 2), Quartiles.of(C));
        assertEquals(new Quartiles(0, 0, 0), Quartiles.of(D));
        assertEquals(new Quartiles(7, 7, 7), Quartiles.of(new double[]{7}));
        // h = 1.75 takes numpy's t >= 0.5 branch b - (b - a)(1 - t); values printed by numpy 2.4
        // (np.percentile(a, 25), np.median(a), np.percentile(a, 75)) with their last bits.
        Quartiles q = Quartiles.of(new double[]{0.1, 0.2, 0.7, 0.3, 0.4, 0.35, 0.11, 0.93});
        assertEquals(0.17750000000000002, q.q1(), 0.0);
        assertEquals(0.32499999999999996, q.median(), 0.0);
        assertEquals(0.475, q.q3(), 0.0);
        // input untouched
        double[] b = B.clone();
        Quartiles.of(b);
        assertArrayEquals(B, b);
    }

    @Test
    void iqrRule() {
        assertArrayEquals(new int[]{4}, Peaks.iqrRule(A));
        assertArrayEquals(new int[]{}, Peaks.iqrRule(B));
        assertArrayEquals(new int[]{}, Peaks.iqrRule(C));
        assertArrayEquals(new int[]{6}, Peaks.iqrRule(D));
        assertArrayEquals(new int[]{}, Peaks.iqrRule(new double[0]));
        // two outliers, reported in step order: sorted 1..8,50,60 -> Q1 = 3.25, Q3 = 7.75, fence 14.5
        assertArrayEquals(new int[]{2, 7}, Peaks.iqrRule(new double[]{1, 2, 60, 3, 4, 5, 6, 50, 7, 8}));
    }

    @Test
    void topKOrdersByValueThenStep() {
        double[] m = {3, 1, 3, 2};
        assertArrayEquals(new int[]{0, 2}, Peaks.topK(m, 2));
        assertArrayEquals(new int[]{0}, Peaks.topK(m, 1));
        assertArrayEquals(new int[]{0, 2, 3, 1}, Peaks.topK(m, 20)); // k > T: every step
        assertArrayEquals(new int[]{4, 3, 2}, Peaks.topK(A, 3));
    }

    @Test
    void intervalsAndJaccard() {
        assertEquals(4.5, Peaks.meanInterval(new int[]{11, 2, 5}), 0.0); // gaps 3 and 6
        assertEquals(Double.NaN, Peaks.meanInterval(new int[]{3}));
        assertEquals(Double.NaN, Peaks.meanInterval(new int[0]));
        assertEquals(2.0 / 4, Peaks.jaccard(new int[]{1, 2, 3}, new int[]{2, 3, 4}), 0.0);
        assertEquals(1.0, Peaks.jaccard(new int[0], new int[0]), 0.0);
        assertEquals(0.0, Peaks.jaccard(new int[]{1}, new int[0]), 0.0);
    }

    @Test
    void sequenceStatsAndAom() {
        SequenceStats a = SequenceStats.of(A, 2);
        assertEquals(SequenceStats.AomStatus.OK, a.aomStatus());
        assertEquals(48.5, a.aom(), 0.0);                     // |100 - 3| / 2
        assertEquals(22.0, a.mean(), 0.0);
        assertEquals(Math.sqrt(1522.0), a.std(), 1e-15);      // (441 + 400 + 361 + 324 + 6084) / 5
        assertArrayEquals(new int[]{4, 3}, a.topK());

        // AOM averages over several peaks: same 10-step array as above, median 5.5, IQR 4.5
        SequenceStats two = SequenceStats.of(new double[]{1, 2, 60, 3, 4, 5, 6, 50, 7, 8}, 20);
        assertEquals(((60 - 5.5) / 4.5 + (50 - 5.5) / 4.5) / 2, two.aom(), 1e-12);

        assertEquals(SequenceStats.AomStatus.NO_PEAK, SequenceStats.of(B, 2).aomStatus());
        assertEquals(SequenceStats.AomStatus.ZERO_IQR, SequenceStats.of(C, 2).aomStatus());
        SequenceStats d = SequenceStats.of(D, 2);
        assertEquals(SequenceStats.AomStatus.ZERO_IQR, d.aomStatus());
        assertArrayEquals(new int[]{6}, d.iqrPeaks());
        SequenceStats empty = SequenceStats.of(new double[0], 2);
        assertEquals(SequenceStats.AomStatus.EMPTY, empty.aomStatus());
        assertEquals(0, empty.iqrPeaks().length);
    }

    @Test
    void table1AndMiSummaryOverSequences() {
        LayerStats.Builder b = new LayerStats.Builder(3, List.of(PeakRule.IQR, PeakRule.TOPK));
        for (double[] m : new double[][]{A, B, C, D}) {
            b.add(SequenceStats.of(m, 2));
        }
        LayerStats s = b.build();

        PeakTable iqr = s.table(PeakRule.IQR);    // peaks 1, 0, 0, 1; steps 5, 4, 4, 7
        assertEquals(4, iqr.problems());
        assertEquals(0.5, iqr.meanPeaks(), 0.0);
        assertEquals(5.0, iqr.meanSteps(), 0.0);
        assertEquals((1.0 / 5 + 1.0 / 7) / 4, iqr.ratio(), 1e-15);
        assertEquals(2.0 / 20, iqr.pooledRatio(), 1e-15);
        assertNull(iqr.meanInterval());            // nobody has 2 peaks
        assertEquals(0, iqr.intervalProblems());
        assertEquals(4, iqr.intervalExcluded());

        PeakTable top = s.table(PeakRule.TOPK);    // A {4,3}: 1, B {2,0}: 2, C {0,1}: 1, D {6,0}: 6
        assertEquals(2.0, top.meanPeaks(), 0.0);
        assertEquals((1 + 2 + 1 + 6) / 4.0, top.meanInterval(), 0.0);
        assertEquals(4, top.intervalProblems());
        assertEquals(0, top.intervalExcluded());

        MiSummary mi = s.mi();                     // numpy over the 20 pooled values: mean 6.85, std 21.4762...
        assertEquals(20, mi.values());
        assertEquals(6.85, mi.mean(), 1e-13);
        assertEquals(21.476207765804467, mi.std(), 1e-12);
        assertEquals(48.5, mi.aom(), 0.0);         // only A has a defined AOM
        assertEquals(1, mi.aomProblems());
        assertEquals(1, mi.aomNoPeak());
        assertEquals(2, mi.aomZeroIqr());
        assertEquals(0, mi.aomEmpty());
    }

    @Test
    void aomPoolsPerProblemAndShortTrajectories() {
        // AOM over problems is the mean of each problem's AOM (not of all peaks pooled): A has 48.5; the 10-step
        // array has median 5.5, IQR 4.5 and peaks 60, 50: ((54.5 + 44.5) / 4.5) / 2 = 11; mean (48.5 + 11) / 2
        double[] ten = {1, 2, 60, 3, 4, 5, 6, 50, 7, 8};
        LayerStats.Builder b = new LayerStats.Builder(0, List.of(PeakRule.IQR));
        b.add(SequenceStats.of(A, 20));
        b.add(SequenceStats.of(ten, 20));
        MiSummary mi = b.build().mi();
        assertEquals(29.75, mi.aom(), 1e-12);
        assertEquals(2, mi.aomProblems());
        // pooled over the 15 values: mean 250 / 15, population std by hand
        double mean = (110.0 + 146.0) / 15;
        double ss = 0;
        for (double[] m : new double[][]{A, ten}) {
            for (double v : m) {
                ss += (v - mean) * (v - mean);
            }
        }
        assertEquals(mean, mi.mean(), 1e-13);
        assertEquals(Math.sqrt(ss / 15), mi.std(), 1e-12);

        // one step: mean is the value, std 0, IQR 0 (no AOM), no IQR peak, top-k is the step itself
        SequenceStats one = SequenceStats.of(new double[]{0.25}, 20);
        assertEquals(0.25, one.mean(), 0.0);
        assertEquals(0.0, one.std(), 0.0);
        assertEquals(SequenceStats.AomStatus.ZERO_IQR, one.aomStatus());
        assertArrayEquals(new int[0], one.iqrPeaks());
        assertArrayEquals(new int[]{0}, one.topK());
        // two steps: Q1 = 1.25, Q3 = 1.75, fence 2.5: no peak, so AOM is undefined (no peak), not 0
        SequenceStats two = SequenceStats.of(new double[]{1, 2}, 20);
        assertEquals(SequenceStats.AomStatus.NO_PEAK, two.aomStatus());
        assertEquals(0.5, two.std(), 0.0);
    }

    @Test
    void undefinedAggregatesAreNullNotNaN() {
        LayerStats.Builder b = new LayerStats.Builder(0, List.of(PeakRule.IQR));
        b.add(SequenceStats.of(C, 20));
        b.add(SequenceStats.of(new double[0], 20));
        LayerStats s = b.build();
        assertNull(s.mi().aom());
        assertEquals(1, s.mi().aomEmpty());
        assertEquals(2.0, s.mi().mean(), 0.0);
        assertEquals(0.0, s.mi().std(), 0.0);
        assertEquals(0.0, s.table(PeakRule.IQR).ratio(), 0.0); // only the non-empty trajectory counts
    }
}
