package dev.mipeaks.analysis;

import dev.mipeaks.MipeaksException;
import java.util.List;

/**
 * What to compute.
 *
 * @param topK         k of the top-k rule (the paper's code: 20)
 * @param rules        peak rules reported (Table 1, peaks.jsonl); AOM always uses the IQR rule
 * @param layer        the layer whose peaks give the thinking tokens and whose trajectories are plotted; null = the
 *                     run's last layer
 * @param trajectories how many problems (the first ones) keep their whole trajectory for plots
 * @param includeSpecial keep special tokens ({@code <|eos|>}, ...) in the thinking-token table (default: left out)
 */
public record AnalysisOptions(int topK, List<PeakRule> rules, Integer layer, int trajectories,
                              boolean includeSpecial) {

    public AnalysisOptions {
        if (topK < 1) {
            throw MipeaksException.invalid("--top-k must be >= 1, got " + topK);
        }
        if (rules.isEmpty()) {
            throw MipeaksException.invalid("--rule: at least one peak rule is needed");
        }
        rules = List.copyOf(rules);
    }

    /** Special tokens left out of the thinking-token table. */
    public AnalysisOptions(int topK, List<PeakRule> rules, Integer layer, int trajectories) {
        this(topK, rules, layer, trajectories, false);
    }

    /** The same options for another layer. */
    public AnalysisOptions withLayer(Integer l) {
        return new AnalysisOptions(topK, rules, l, trajectories, includeSpecial);
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(Peaks.DEFAULT_TOP_K, List.of(PeakRule.IQR, PeakRule.TOPK), null, 12);
    }

    /** "iqr", "topk" or "both". */
    public static List<PeakRule> parseRules(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "iqr" -> List.of(PeakRule.IQR);
            case "topk" -> List.of(PeakRule.TOPK);
            case "both" -> List.of(PeakRule.IQR, PeakRule.TOPK);
            default -> throw MipeaksException.invalid("--rule must be iqr, topk or both, got '" + text + "'");
        };
    }

    /**
     * The rule whose peaks feed the thinking-token table: top-k when it is computed (as the paper's code counts
     * them), otherwise the IQR rule.
     */
    public PeakRule tokenRule() {
        return rules.contains(PeakRule.TOPK) ? PeakRule.TOPK : PeakRule.IQR;
    }

    /** Top-k marks at least this fraction of a trajectory's steps: the analysis warns (top-k is then no peak rule). */
    public static final double TOPK_WARN_FRACTION = 0.25;

    /** The layer to use for {@code config}: the given one (checked) or the last layer of the run. */
    public int resolveLayer(RunConfig config, String runLabel) {
        if (layer == null) {
            return config.layers().get(config.layers().size() - 1);
        }
        if (!config.layers().contains(layer)) {
            throw MipeaksException.invalid("--layer " + layer + ": run " + runLabel + " has layers " + config.layers());
        }
        return layer;
    }
}
