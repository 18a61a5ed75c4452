package dev.mipeaks.analysis;

/**
 * The paper's Table 1 over a set of trajectories, for one peak rule.
 *
 * @param problems          trajectories counted (problems, or problem-layer pairs for the all-layers row)
 * @param meanPeaks         mean number of peaks per trajectory
 * @param meanSteps         mean number of generated steps T
 * @param ratio             mean over trajectories (T > 0) of peaks / T
 * @param pooledRatio       total peaks / total steps
 * @param meanInterval      mean over trajectories with >= 2 peaks of their mean gap between consecutive peaks
 *                          (steps); null when no trajectory has 2 peaks
 * @param intervalProblems  trajectories that entered {@code meanInterval}
 * @param intervalExcluded  trajectories with fewer than 2 peaks, excluded from {@code meanInterval}
 */
public record PeakTable(PeakRule rule, int problems, double meanPeaks, double meanSteps, Double ratio,
                        Double pooledRatio, Double meanInterval, int intervalProblems, int intervalExcluded) {

    /** Accumulates {@link SequenceStats} into a {@link PeakTable}. */
    static final class Builder {
        private final PeakRule rule;
        private int n;
        private long peaks;
        private long steps;
        private double ratioSum;
        private int ratioN;
        private double intervalSum;
        private int intervalN;
        private int intervalExcluded;

        Builder(PeakRule rule) {
            this.rule = rule;
        }

        void add(SequenceStats s) {
            int[] p = s.peaks(rule);
            n++;
            peaks += p.length;
            steps += s.steps();
            if (s.steps() > 0) {
                ratioSum += (double) p.length / s.steps();
                ratioN++;
            }
            if (p.length >= 2) {
                intervalSum += Peaks.meanInterval(p);
                intervalN++;
            } else {
                intervalExcluded++;
            }
        }

        PeakTable build() {
            return new PeakTable(rule, n,
                    n == 0 ? 0 : (double) peaks / n,
                    n == 0 ? 0 : (double) steps / n,
                    ratioN == 0 ? null : ratioSum / ratioN,
                    steps == 0 ? null : (double) peaks / steps,
                    intervalN == 0 ? null : intervalSum / intervalN,
                    intervalN, intervalExcluded);
        }
    }
}
