package dev.mipeaks.analysis;

/**
 * Issue 7's distribution statistics over a set of trajectories (Table 2 of the paper).
 *
 * @param values       number of MI values (steps) pooled
 * @param mean         mean MI over all pooled steps (null when there are none)
 * @param std          population standard deviation over all pooled steps (null when there are none)
 * @param aom          mean AOM over trajectories where it is defined (see {@link SequenceStats}); null if none
 * @param aomProblems  trajectories averaged into {@code aom}
 * @param aomNoPeak    trajectories excluded because no step is above Q3 + 1.5 IQR
 * @param aomZeroIqr   trajectories excluded because their IQR is 0
 * @param aomEmpty     trajectories excluded because they have no step
 */
public record MiSummary(long values, Double mean, Double std, Double aom, int aomProblems, int aomNoPeak,
                        int aomZeroIqr, int aomEmpty) {

    /** Pools trajectories' means and sums of squares exactly (Chan et al.'s pairwise combination). */
    static final class Builder {
        private long n;
        private double mean;
        private double m2;
        private double aomSum;
        private int aomN;
        private int noPeak;
        private int zeroIqr;
        private int empty;

        void add(SequenceStats s) {
            switch (s.aomStatus()) {
                case OK -> {
                    aomSum += s.aom();
                    aomN++;
                }
                case NO_PEAK -> noPeak++;
                case ZERO_IQR -> zeroIqr++;
                case EMPTY -> empty++;
                default -> throw new AssertionError(s.aomStatus());
            }
            if (s.steps() == 0) {
                return;
            }
            long nb = s.steps();
            long nt = n + nb;
            double delta = s.mean() - mean;
            m2 = m2 + s.m2() + delta * delta * ((double) n * nb / nt);
            mean = mean + delta * nb / nt;
            n = nt;
        }

        MiSummary build() {
            return new MiSummary(n,
                    n == 0 ? null : mean,
                    n == 0 ? null : Math.sqrt(m2 / n),
                    aomN == 0 ? null : aomSum / aomN,
                    aomN, noPeak, zeroIqr, empty);
        }
    }
}
