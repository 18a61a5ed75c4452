package dev.mipeaks.eval;

import java.time.Duration;

/**
 * What one answer may cost, whatever the rule set: one time {@code budget} for extraction, normalisation,
 * comparison and the CAS together, and a cap on the length of the extracted answer (and of the ground truth).
 * An answer past the cap is {@link Rule#UNDECIDED} and one past the budget {@link Rule#TIMEOUT}: both are counted
 * as wrong, with the reason in {@link Verdict#reason()}; grading never stalls on an answer.
 *
 * @param budget         time for one answer (default 10 s)
 * @param maxAnswerChars longest extracted answer or ground truth that is compared (default 10,000 characters;
 *                       MATH answers are under 200)
 */
public record GradingLimits(Duration budget, int maxAnswerChars) {
    public GradingLimits {
        if (budget == null || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("the grading budget must be > 0, got " + budget);
        }
        if (maxAnswerChars < 1) {
            throw new IllegalArgumentException("maxAnswerChars must be >= 1, got " + maxAnswerChars);
        }
    }

    public static GradingLimits defaults() {
        return new GradingLimits(Duration.ofSeconds(10), 10_000);
    }

    /** Extracts the answer from a full response ({@link AnswerExtractor}) and compares it under {@code rules}. */
    public Verdict grade(String response, String groundTruth, AnswerRules rules) {
        Budget budget = Budget.start(this.budget);
        AnswerExtractor.Extraction ex;
        try {
            ex = AnswerExtractor.extract(response, budget);
        } catch (Budget.Exceeded e) {
            return new Verdict(false, Rule.TIMEOUT, null, groundTruth, AnswerExtractor.Method.NONE, e.getMessage());
        }
        if (ex.answer() == null) {
            return new Verdict(false, Rule.NONE, null, groundTruth, ex.method());
        }
        return decide(ex.answer(), groundTruth, ex.method(), rules, budget);
    }

    /** Compares an already extracted answer (a bare {@code \boxed{}} wrapper is removed) under {@code rules}. */
    public Verdict compare(String prediction, String groundTruth, AnswerRules rules) {
        if (prediction == null || prediction.isBlank()) {
            return new Verdict(false, Rule.NONE, prediction, groundTruth, AnswerExtractor.Method.NONE);
        }
        return decide(prediction, groundTruth, AnswerExtractor.Method.BOXED, rules, Budget.start(budget));
    }

    private Verdict decide(String prediction, String groundTruth, AnswerExtractor.Method method, AnswerRules rules,
                           Budget budget) {
        String tooLong = tooLong("answer", prediction);
        if (tooLong == null) {
            tooLong = tooLong("ground truth", groundTruth);
        }
        if (tooLong != null) {
            return new Verdict(false, Rule.UNDECIDED, prediction, groundTruth, method, tooLong);
        }
        Comparison c;
        try {
            c = rules.compare(prediction, groundTruth, budget);
        } catch (Budget.Exceeded e) {
            c = new Comparison(false, Rule.TIMEOUT, e.getMessage());
        }
        return new Verdict(c.equal(), c.rule(), prediction, groundTruth, method, c.reason());
    }

    private String tooLong(String what, String s) {
        if (s != null && s.length() > maxAnswerChars) {
            return what + " has " + s.length() + " characters, over the " + maxAnswerChars + "-character cap";
        }
        return null;
    }
}
