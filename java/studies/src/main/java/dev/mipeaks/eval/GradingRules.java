package dev.mipeaks.eval;

import dev.mipeaks.MipeaksException;
import java.util.Locale;

/**
 * Which rules decide whether an answer is correct: {@link #STRICT}, this project's {@link MathGrader} (exact where it
 * can be, a CAS otherwise), or {@link #PAPER}, the reference code's Qwen2.5-Math grader ({@link PaperGrader}), whose
 * leniencies (relative 1e-4, percent x100 and /100, brackets ignored) make accuracies comparable with the paper's.
 */
public enum GradingRules {
    STRICT,
    PAPER;

    /** The option value and JSON label: "strict" or "paper". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an option value; {@code option} names it in the error (e.g. "--rules"). */
    public static GradingRules parse(String value, String option) {
        if (value != null) {
            for (GradingRules r : values()) {
                if (r.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
        }
        throw MipeaksException.invalid(option + " " + value + ": expected strict or paper");
    }

    /** The other rule set (the second column of a report). */
    public GradingRules other() {
        return this == STRICT ? PAPER : STRICT;
    }
}
