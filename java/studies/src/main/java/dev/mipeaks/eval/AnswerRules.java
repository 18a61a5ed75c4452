package dev.mipeaks.eval;

/**
 * A grading rule set: decides whether a prediction (as extracted from a response, or as given) is the ground
 * truth. {@link MathGrader} is the strict set; another set (different normalisation or tolerance rules) plugs in
 * beside it and gets the same extraction, answer-length cap and time budget from {@link GradingLimits}.
 */
@FunctionalInterface
public interface AnswerRules {
    /**
     * Compares two raw answers. Must keep to {@code budget} ({@link Budget#tick}/{@link Budget#check} in loops,
     * {@link Budget#guard} around regular expressions): running past it throws {@link Budget.Exceeded}, which
     * {@link GradingLimits} turns into a {@link Rule#TIMEOUT} verdict.
     */
    Comparison compare(String prediction, String groundTruth, Budget budget);
}
