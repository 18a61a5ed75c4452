package dev.mipeaks.eval;

/**
 * The grader's decision on one answer.
 *
 * @param correct     whether the prediction equals the ground truth
 * @param rule        the rule that decided
 * @param prediction  the extracted prediction (raw text; null when none could be extracted)
 * @param groundTruth the ground truth as given
 * @param extraction  how the prediction was found in the response (BOXED when {@link MathGrader#compare} was used)
 * @param reason      why the answer was not really decided and counted as wrong ({@link Rule#TIMEOUT}: which
 *                    stage ran out of time; {@link Rule#UNDECIDED}: which cap it hit), else null
 */
public record Verdict(boolean correct, Rule rule, String prediction, String groundTruth,
                      AnswerExtractor.Method extraction, String reason) {
    /** A decided verdict (no reason). */
    public Verdict(boolean correct, Rule rule, String prediction, String groundTruth,
                   AnswerExtractor.Method extraction) {
        this(correct, rule, prediction, groundTruth, extraction, null);
    }
}
