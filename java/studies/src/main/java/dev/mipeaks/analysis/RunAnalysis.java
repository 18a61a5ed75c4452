package dev.mipeaks.analysis;

import dev.mipeaks.MipeaksException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass over a run's problems: peaks and statistics per problem and layer, Table 1 and the MI distribution
 * statistics per layer and over all layers, the thinking-token counts, and the trajectories kept for plots.
 * Only small per-problem summaries stay in memory (plus the MI values of the plotted layer, for histograms).
 */
public final class RunAnalysis {

    /** Peaks of one problem at one layer, with the tokens (texts and ids) generated at them. */
    public record LayerPeaks(SequenceStats stats, List<String> iqrTokens, List<String> topkTokens, int[] iqrIds,
                             int[] topkIds) {
        public List<String> tokens(PeakRule rule) {
            return rule == PeakRule.IQR ? iqrTokens : topkTokens;
        }

        public int[] ids(PeakRule rule) {
            return rule == PeakRule.IQR ? iqrIds : topkIds;
        }
    }

    /** One problem's peaks, by layer in the run's layer order. */
    public record ProblemPeaks(int index, String id, int steps, Map<Integer, LayerPeaks> layers) {
    }

    /** A whole trajectory kept for plotting, with the generated tokens (texts and ids) at every step. */
    public record Trajectory(int index, String id, int layer, double[] mi, List<String> tokens, int[] tokenIds,
                             SequenceStats stats) {
    }

    /**
     * How many problems' top-k marks at least {@link AnalysisOptions#TOPK_WARN_FRACTION} of their steps (there the
     * top-k "peaks" are most of the trajectory, not peaks).
     *
     * @param flagged  problems with k >= 25% of their steps
     * @param minSteps shortest and longest of those problems (0 when none)
     */
    public record TopKCoverage(int k, int problems, int flagged, int minSteps, int maxSteps) {
        /** One line for the terminal and the report, or null when no problem is flagged. */
        public String warning() {
            if (flagged == 0) {
                return null;
            }
            return String.format(java.util.Locale.ROOT, "top-%d marks >= %d%% of the steps in %d of %d problems (%s "
                            + "steps): there top-k is most of the trajectory, not its peaks; prefer --rule iqr or a "
                            + "smaller --top-k", k, Math.round(100 * AnalysisOptions.TOPK_WARN_FRACTION), flagged,
                    problems, minSteps == maxSteps ? Integer.toString(minSteps) : minSteps + "-" + maxSteps);
        }
    }

    private final RunData run;
    private final AnalysisOptions options;
    private final int layer;
    private final List<ProblemPeaks> problems;
    private final Map<Integer, LayerStats> perLayer;
    private final LayerStats allLayers;
    private final ThinkingTokens thinkingTokens;
    private final List<Trajectory> trajectories;
    private final double[] layerValues;
    private final Map<String, Integer> skippedReasons;
    private final TopKCoverage topKCoverage;

    private RunAnalysis(RunData run, AnalysisOptions options, int layer, List<ProblemPeaks> problems,
                        Map<Integer, LayerStats> perLayer, LayerStats allLayers, ThinkingTokens thinkingTokens,
                        List<Trajectory> trajectories, double[] layerValues, Map<String, Integer> skippedReasons,
                        TopKCoverage topKCoverage) {
        this.run = run;
        this.options = options;
        this.layer = layer;
        this.problems = problems;
        this.perLayer = perLayer;
        this.allLayers = allLayers;
        this.thinkingTokens = thinkingTokens;
        this.trajectories = trajectories;
        this.layerValues = layerValues;
        this.skippedReasons = skippedReasons;
        this.topKCoverage = topKCoverage;
    }

    public static RunAnalysis analyze(RunData run, AnalysisOptions options) {
        RunConfig cfg = run.config();
        int layer = options.resolveLayer(cfg, run.dir().toString());
        if (run.okEntries().isEmpty()) {
            throw MipeaksException.invalid(run.dir() + ": no finished problems (" + RunLayout.MANIFEST
                    + " has no line with status \"ok\")");
        }
        Map<Integer, LayerStats.Builder> builders = new LinkedHashMap<>();
        for (int l : cfg.layers()) {
            builders.put(l, new LayerStats.Builder(l, options.rules()));
        }
        LayerStats.Builder all = new LayerStats.Builder(null, options.rules());
        ThinkingTokens tt = new ThinkingTokens(options.includeSpecial());
        int flagged = 0;
        int minFlagged = Integer.MAX_VALUE;
        int maxFlagged = 0;
        PeakRule tokenRule = options.tokenRule();
        List<ProblemPeaks> problems = new ArrayList<>();
        List<Trajectory> kept = new ArrayList<>();
        DoubleList values = new DoubleList();
        for (ProblemRecord p : run.problems()) {
            Map<Integer, LayerPeaks> lp = new LinkedHashMap<>();
            for (int l : cfg.layers()) {
                double[] m = p.mi(l);
                SequenceStats s = SequenceStats.of(m, options.topK());
                builders.get(l).add(s);
                all.add(s);
                lp.put(l, new LayerPeaks(s, tokensAt(p, s.iqrPeaks()), tokensAt(p, s.topK()), idsAt(p, s.iqrPeaks()),
                        idsAt(p, s.topK())));
                if (l == layer) {
                    for (int step : s.peaks(tokenRule)) {
                        // the EOS a run stopped on is a special token even when no vocabulary says so
                        boolean eos = step == p.steps() - 1 && "eos".equals(p.stopReason());
                        tt.add(p.tokens().get(step), p.tokenIds()[step], eos);
                    }
                    values.addAll(m);
                    if (kept.size() < options.trajectories()) {
                        kept.add(new Trajectory(p.index(), p.id(), l, m, p.tokens(), p.tokenIds(), s));
                    }
                    if (p.steps() > 0 && options.topK() >= AnalysisOptions.TOPK_WARN_FRACTION * p.steps()) {
                        flagged++;
                        minFlagged = Math.min(minFlagged, p.steps());
                        maxFlagged = Math.max(maxFlagged, p.steps());
                    }
                }
            }
            problems.add(new ProblemPeaks(p.index(), p.id(), p.steps(), lp));
        }
        Map<Integer, LayerStats> perLayer = new LinkedHashMap<>();
        builders.forEach((l, b) -> perLayer.put(l, b.build()));
        Map<String, Integer> skipped = new TreeMap<>();
        for (ManifestEntry e : run.skipped()) {
            skipped.merge(e.reason() == null ? "(no reason given)" : e.reason(), 1, Integer::sum);
        }
        TopKCoverage cov = new TopKCoverage(options.topK(), problems.size(), flagged, flagged == 0 ? 0 : minFlagged,
                maxFlagged);
        return new RunAnalysis(run, options, layer, problems, perLayer, all.build(), tt, kept, values.toArray(),
                skipped, cov);
    }

    private static List<String> tokensAt(ProblemRecord p, int[] steps) {
        List<String> out = new ArrayList<>(steps.length);
        for (int s : steps) {
            out.add(p.tokens().get(s));
        }
        return out;
    }

    private static int[] idsAt(ProblemRecord p, int[] steps) {
        int[] out = new int[steps.length];
        for (int i = 0; i < steps.length; i++) {
            out[i] = p.tokenIds()[steps[i]];
        }
        return out;
    }

    public RunData run() {
        return run;
    }

    public AnalysisOptions options() {
        return options;
    }

    /** The layer used for thinking tokens, trajectories and histograms. */
    public int layer() {
        return layer;
    }

    public List<ProblemPeaks> problems() {
        return problems;
    }

    public Map<Integer, LayerStats> perLayer() {
        return perLayer;
    }

    public LayerStats allLayers() {
        return allLayers;
    }

    public ThinkingTokens thinkingTokens() {
        return thinkingTokens;
    }

    public List<Trajectory> trajectories() {
        return trajectories;
    }

    /** Every MI value of {@link #layer()} over all problems, in problem then step order. */
    public double[] layerValues() {
        return layerValues;
    }

    /** Problems where top-k covers much of the trajectory (see {@link TopKCoverage#warning()}). */
    public TopKCoverage topKCoverage() {
        return topKCoverage;
    }

    /**
     * The top-k coverage warning when the top-k rule is in use and some problem is flagged, else null.
     */
    public String topKWarning() {
        return options.rules().contains(PeakRule.TOPK) ? topKCoverage.warning() : null;
    }

    /** Skipped problems counted by reason. */
    public Map<String, Integer> skippedReasons() {
        return skippedReasons;
    }

    public int skippedCount() {
        return skippedReasons.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** A growable double array (MI values of one layer can number in the millions). */
    static final class DoubleList {
        private double[] a = new double[1024];
        private int n;

        void addAll(double[] v) {
            if (n + v.length > a.length) {
                a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, n + v.length));
            }
            System.arraycopy(v, 0, a, n, v.length);
            n += v.length;
        }

        double[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
