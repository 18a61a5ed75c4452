package dev.mipeaks.eval;

import java.util.EnumMap;
import java.util.Map;

/**
 * One grader per rule set, grading every answer under both ({@link GradingRules}): the commands that generate (rr,
 * ttts, suppress) report accuracy under the strict rules and the paper's side by side. Thread-safe as its graders
 * are; close it to stop their CAS threads.
 */
public final class Graders implements AutoCloseable {
    private final MathGrader strict;
    private final PaperGrader paper;

    public Graders(MathGrader strict, PaperGrader paper) {
        this.strict = strict;
        this.paper = paper;
    }

    /** Default options for both; {@code promptTemplate} picks the paper rules' stop words (null: the base three). */
    public static Graders defaults(String promptTemplate) {
        PaperGrader.Options po = PaperGrader.Options.defaults();
        if (promptTemplate != null) {
            po = po.withStopWords(PaperGrader.stopWords(promptTemplate));
        }
        return new Graders(new MathGrader(), new PaperGrader(po));
    }

    public MathGrader strict() {
        return strict;
    }

    public PaperGrader paper() {
        return paper;
    }

    /** One response graded under one rule set. */
    public Verdict grade(GradingRules rules, String response, String groundTruth) {
        return rules == GradingRules.STRICT ? strict.grade(response, groundTruth) : paper.grade(response, groundTruth);
    }

    /** One response graded under every rule set, in {@link GradingRules} order. */
    public Map<GradingRules, Verdict> gradeAll(String response, String groundTruth) {
        Map<GradingRules, Verdict> m = new EnumMap<>(GradingRules.class);
        for (GradingRules r : GradingRules.values()) {
            m.put(r, grade(r, response, groundTruth));
        }
        return m;
    }

    @Override
    public void close() {
        strict.close();
        paper.close();
    }
}
