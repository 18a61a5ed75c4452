package dev.mipeaks.eval;

import java.util.Locale;

/** The grader rule that decided a verdict (for a wrong answer: the last rule that compared and said no). */
public enum Rule {
    /** Equal (or, for a wrong answer, only comparable) as normalised strings. */
    STRING,
    /** Both plain numbers: relative tolerance 1e-4, percent variants when either side had a percent sign. */
    NUMERIC,
    /** Tuples, intervals, sets, lists, matrices compared element-wise. */
    TUPLE,
    /** An equation on either side: side-wise, or the right side against a bare value. */
    EQUATION,
    /** Symja: Simplify(a-b) == 0 or numeric agreement. */
    CAS,
    /** The CAS ran past its time limit: counted as not equal. */
    TIMEOUT,
    /** No answer could be extracted from the response. */
    NONE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
