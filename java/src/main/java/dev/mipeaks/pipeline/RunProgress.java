package dev.mipeaks.pipeline;

import dev.mipeaks.generate.StepHook;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a run on the error stream: a line per finished problem (problems done/total, steps/s, MI pairs/s,
 * ETA) and, inside a long problem, a line at most every {@code intervalMs} with its step count. Rates and the ETA
 * count only this session's work (problems finished by an earlier session are "resumed").
 */
final class RunProgress {
    private final PrintWriter err;
    private final int total;
    private final int resumed;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private final AtomicLong pairs = new AtomicLong();
    private long steps;
    private int done;
    private int skipped;

    RunProgress(PrintWriter err, int total, int resumed, long intervalMs) {
        this.err = err;
        this.total = total;
        this.resumed = resumed;
        this.intervalNanos = intervalMs * 1_000_000L;
    }

    void pairs(long n) {
        pairs.addAndGet(n);
    }

    long pairs() {
        return pairs.get();
    }

    long steps() {
        return steps;
    }

    int done() {
        return done;
    }

    int skipped() {
        return skipped;
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** A hook that prints "problem NNNNN: t steps" at most every interval during generation. */
    StepHook within(String label, int maxSteps) {
        return new StepHook() {
            private long last = System.nanoTime();
            private final long t0 = last;

            @Override
            public void onStep(Step s) {
                long now = System.nanoTime();
                if (now - last >= intervalNanos) {
                    last = now;
                    double secs = (now - t0) / 1e9;
                    err.printf(Locale.ROOT, "  %s: %d/%d steps, %.1f steps/s%n", label, s.step() + 1, maxSteps,
                            (s.step() + 1) / secs);
                    err.flush();
                }
            }
        };
    }

    synchronized void finished(String what, int problemSteps, boolean wasSkipped) {
        done++;
        steps += problemSteps;
        if (wasSkipped) {
            skipped++;
        }
        double secs = Math.max(1e-9, seconds());
        int finished = resumed + done;
        int left = total - finished;
        String eta = left <= 0 ? "0s" : dev.mipeaks.Durations.format(secs / done * left);
        err.printf(Locale.ROOT, "run: %d/%d problems (%.1f%%; %d resumed, %d skipped) | %s | %.1f steps/s, %.1f MI pairs/s"
                        + " | elapsed %s, ETA %s%n", finished, total, total == 0 ? 100.0 : 100.0 * finished / total,
                resumed, skipped, what, steps / secs, pairs.get() / secs, dev.mipeaks.Durations.format(secs), eta);
        err.flush();
    }

}
