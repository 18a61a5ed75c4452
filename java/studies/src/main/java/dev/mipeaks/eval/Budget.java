package dev.mipeaks.eval;

import java.time.Duration;

/**
 * The time one answer may take to grade: extraction, normalisation, comparison and the CAS together. Loops
 * {@link #tick} it and stages {@link #check} it; regular expressions run over {@link #guard} so that even a match
 * that backtracks is stopped. Running past it throws {@link Exceeded}, which the grader turns into a
 * {@link Rule#TIMEOUT} verdict naming the stage: a grading run never stalls on one answer. One budget belongs to
 * one answer and one thread.
 */
public final class Budget {
    /** Ticks between two clock reads in {@link #tick}. */
    private static final int TICKS_PER_CHECK = 1024;

    private final long start;
    private long deadline;
    private final Duration limit;
    private int ticks;

    private Budget(Duration limit) {
        this.limit = limit;
        this.start = System.nanoTime();
        long nanos = limit.toNanos();
        this.deadline = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : start + nanos;
    }

    /** A budget of {@code limit} starting now. */
    public static Budget start(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a grading budget must be > 0, got " + limit);
        }
        return new Budget(limit);
    }

    /** No limit (library calls outside a grader: the work is still linear in the input). */
    public static Budget unlimited() {
        return new Budget(Duration.ofNanos(Long.MAX_VALUE));
    }

    public Duration limit() {
        return limit;
    }

    public boolean isUnlimited() {
        return deadline == Long.MAX_VALUE;
    }

    /** Time left (zero or negative when spent). */
    public Duration remaining() {
        return isUnlimited() ? limit : Duration.ofNanos(deadline - System.nanoTime());
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Throws {@link Exceeded} naming {@code stage} when the budget is spent. */
    public void check(String stage) {
        if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
            throw new Exceeded(stage, limit);
        }
    }

    /** {@link #check} every {@value #TICKS_PER_CHECK} calls: for inner loops. */
    public void tick(String stage) {
        if (++ticks >= TICKS_PER_CHECK) {
            ticks = 0;
            check(stage);
        }
    }

    /**
     * Moves the deadline out by {@code d}: for one-time set-up that is not this answer's work (loading the CAS,
     * seconds, on the first answer that needs it).
     */
    public void exclude(Duration d) {
        if (deadline != Long.MAX_VALUE && !d.isNegative()) {
            deadline += d.toNanos();
        }
    }

    /** {@code min(limit, remaining)}; throws {@link Exceeded} when nothing is left. */
    public Duration cap(Duration limit, String stage) {
        check(stage);
        Duration left = remaining();
        return left.compareTo(limit) < 0 ? left : limit;
    }

    /**
     * {@code s} as a CharSequence that checks this budget while a regular expression reads it, so a match cannot
     * run past the budget however it backtracks.
     */
    public CharSequence guard(CharSequence s, String stage) {
        return isUnlimited() ? s : new Guarded(s, stage);
    }

    /** The budget ran out; {@link #stage()} says where. */
    public static final class Exceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String stage;

        Exceeded(String stage, Duration limit) {
            super("time budget of " + format(limit) + " ran out in " + stage, null, false, false);
            this.stage = stage;
        }

        public String stage() {
            return stage;
        }
    }

    /** "10 s", "250 ms". */
    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private final class Guarded implements CharSequence {
        private final CharSequence s;
        private final String stage;

        Guarded(CharSequence s, String stage) {
            this.s = s;
            this.stage = stage;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            tick(stage);
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Guarded(s.subSequence(start, end), stage);
        }

        @Override
        public String toString() {
            return s.toString();
        }
    }
}
