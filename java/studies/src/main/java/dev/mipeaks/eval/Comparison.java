package dev.mipeaks.eval;

/**
 * A rule set's decision on one (prediction, ground truth) pair.
 *
 * @param equal  whether the two are the same answer
 * @param rule   the rule that decided (for an unequal pair: the last rule that compared and said no)
 * @param reason why the pair was not really decided ({@link Rule#TIMEOUT}, {@link Rule#UNDECIDED}), else null
 */
public record Comparison(boolean equal, Rule rule, String reason) {
    public Comparison(boolean equal, Rule rule) {
        this(equal, rule, null);
    }
}
