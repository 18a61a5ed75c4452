package dev.mipeaks.eval;

import java.util.Locale;

/** The grader rule that decided a verdict (for a wrong answer: the last rule that compared and said no). */
public enum Rule {
    /** Equal (or, for a wrong answer, only comparable) as normalised strings. */
    STRING,
    /**
     * Both plain numbers, compared exactly: equal for integers and fractions, within a relative 1e-4 when either
     * side is a decimal; percent variants when either side had a percent sign.
     */
    NUMERIC,
    /** Tuples, intervals, sets, lists, matrices compared element-wise. */
    TUPLE,
    /** An equation on either side: side-wise, or the right side against a bare value. */
    EQUATION,
    /** Symja: Simplify(a-b) == 0 or numeric agreement. */
    CAS,
    /**
     * Not decided in time, counted as not equal: the CAS ran past its limit, or the answer's time budget ran out
     * (extraction, normalisation, comparison or the CAS; the verdict's reason names the stage).
     */
    TIMEOUT,
    /** Not compared, counted as not equal: the answer or the ground truth is longer than the cap (see the reason). */
    UNDECIDED,
    /** No answer could be extracted from the response. */
    NONE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
