package dev.mipeaks.study;

import dev.mipeaks.Durations;
import dev.mipeaks.ExitCode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The one progress printer of every study: units done of a total (some resumed from an earlier session), rates and
 * an ETA on the error stream. Rates and the ETA count only this session's work: the remaining units are assumed to
 * take as long as the ones finished in this session. The clock is injectable (nanoseconds) so lines can be tested.
 *
 * <p>Three line shapes, one per kind of study:
 * <ul>
 *   <li>{@link #done(long, String)}, generation studies (rr, ttts, suppress): "rr: 3/10 problems (30.0%), 1234 tokens
 *       at 45.6 tokens/s, elapsed 1m02s, ETA 2m20s | detail";</li>
 *   <li>{@link #finished(String, long, boolean)}, the MI pipeline (run): "run: 3/10 problems (30.0%; 1 resumed,
 *       0 skipped) | detail | 12.0 steps/s, 3400.0 MI pairs/s | elapsed 1m02s, ETA 2m20s";</li>
 *   <li>{@link #update(long, long)}, throttled counts (estimate): "label: 30/100 pairs (30.0%) 12.5 pairs/s,
 *       elapsed 2s, ETA 6s".</li>
 * </ul>
 * Thread-safe.
 */
public final class Progress {
    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final long total;
    private final long resumed;
    private final LongSupplier clock;
    private final long start;
    private long intervalNanos;
    private long lastPrint;
    private long lastDone = -1;
    private volatile long finished;
    private long tokens;
    private long tokenNanos;
    private final AtomicLong pairs = new AtomicLong();
    private long steps;
    private long ran;
    private long skipped;

    /**
     * @param total   units of the whole task
     * @param resumed units an earlier session finished (they count as done but not into rates or the ETA)
     */
    public Progress(PrintWriter err, String label, String unit, long total, long resumed) {
        this(err, label, unit, total, resumed, System::nanoTime);
    }

    public Progress(PrintWriter err, String label, String unit, long total, long resumed, LongSupplier nanoClock) {
        this.err = err;
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.resumed = resumed;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.lastPrint = start;
        this.finished = resumed;
    }

    /** Prints at most one {@link #update} line per {@code intervalMs} (the last one always). */
    public Progress throttled(long intervalMs) {
        this.intervalNanos = intervalMs * 1_000_000L;
        return this;
    }

    /** "label: resuming: 3 of 10 problems already finished" when an earlier session finished some units. */
    public Progress announceResume() {
        if (resumed > 0) {
            err.printf(Locale.ROOT, "%s: resuming: %d of %d %s already finished%n", label, resumed, total, unit);
            err.flush();
        }
        return this;
    }

    /** Adds generated tokens and the time spent generating them. */
    public synchronized void tokens(long n, long nanos) {
        tokens += n;
        tokenNanos += nanos;
    }

    public synchronized double tokensPerSecond() {
        return tokenNanos == 0 ? 0 : tokens / (tokenNanos / 1e9);
    }

    public synchronized long tokens() {
        return tokens;
    }

    /** Adds MI pairs estimated (any thread). */
    public void pairs(long n) {
        pairs.addAndGet(n);
    }

    public long pairs() {
        return pairs.get();
    }

    public synchronized long steps() {
        return steps;
    }

    /** Units finished in this session (skipped ones included). */
    public synchronized long ran() {
        return ran;
    }

    public synchronized long skipped() {
        return skipped;
    }

    /** Units done, resumed ones included. */
    public long finishedUnits() {
        return finished;
    }

    /** Seconds since this progress started. */
    public double seconds() {
        return (clock.getAsLong() - start) / 1e9;
    }

    /**
     * The ETA of the units left after {@code done} of them, at this session's rate over {@code ranNow} units in
     * {@code secs}: "0s" when none are left, "?" before the first unit of this session.
     */
    static String eta(long done, long total, long ranNow, double secs) {
        long left = total - done;
        if (left <= 0) {
            return "0s";
        }
        return ranNow > 0 ? Durations.format(secs / ranNow * left) : "?";
    }

    private static double percent(long done, long total) {
        return total == 0 ? 100.0 : 100.0 * done / total;
    }

    /** A generation study finished its {@code finished}-th unit (resumed ones included); prints the task line. */
    public synchronized void done(long finished, String detail) {
        this.finished = finished;
        this.ran = finished - resumed;
        err.println(taskLine(detail));
        err.flush();
    }

    synchronized String taskLine(String detail) {
        double secs = seconds();
        return String.format(Locale.ROOT, "%s: %d/%d %s (%.1f%%), %d tokens at %.1f tokens/s, elapsed %s, ETA %s%s",
                label, finished, total, unit, percent(finished, total), tokens, tokensPerSecond(),
                Durations.format(secs), eta(finished, total, ran, secs), detail.isEmpty() ? "" : " | " + detail);
    }

    /** The pipeline finished a problem of {@code problemSteps} steps (or skipped it); prints the run line. */
    public synchronized void finished(String what, long problemSteps, boolean wasSkipped) {
        ran++;
        finished = resumed + ran;
        steps += problemSteps;
        if (wasSkipped) {
            skipped++;
        }
        err.println(runLine(what));
        err.flush();
    }

    synchronized String runLine(String what) {
        double secs = Math.max(1e-9, seconds());
        return String.format(Locale.ROOT, "%s: %d/%d %s (%.1f%%; %d resumed, %d skipped) | %s | %.1f steps/s, %.1f MI "
                        + "pairs/s | elapsed %s, ETA %s", label, finished, total, unit, percent(finished, total),
                resumed, skipped, what, steps / secs, pairs.get() / secs, Durations.format(secs),
                eta(finished, total, ran, secs));
    }

    /**
     * {@code done} of {@code total} units (this session's; the total may grow): prints the count line at most once per
     * {@link #throttled} interval, always for the last unit, never twice for the same count.
     */
    public synchronized void update(long done, long total) {
        long now = clock.getAsLong();
        if (done < total && now - lastPrint < intervalNanos) {
            return;
        }
        if (done == lastDone) {
            return;
        }
        lastPrint = now;
        lastDone = done;
        err.println(countLine(done, total, now));
        err.flush();
    }

    String countLine(long done, long total, long now) {
        double secs = Math.max(1e-9, (now - start) / 1e9);
        return String.format(Locale.ROOT, "%s: %d/%d %s (%.1f%%) %.1f %s/s, elapsed %s, ETA %s", label, done, total, unit,
                percent(done, total), done / secs, unit, Durations.format(secs), eta(done, total, done, secs));
    }

    /** Prints how far one unit's generation is, at most once per interval (see {@link #within}). */
    public interface Ticker {
        /** Step {@code step} (0-based) of the unit is done. */
        void step(int step);
    }

    /**
     * A ticker that prints "  problem NNNNN: t/max steps, r steps/s" at most every {@code intervalMs} while one unit
     * generates.
     */
    public Ticker within(String what, int maxSteps, long intervalMs) {
        long interval = intervalMs * 1_000_000L;
        return new Ticker() {
            private long last = clock.getAsLong();
            private final long t0 = last;

            @Override
            public void step(int step) {
                long now = clock.getAsLong();
                if (now - last >= interval) {
                    last = now;
                    double secs = (now - t0) / 1e9;
                    err.printf(Locale.ROOT, "  %s: %d/%d steps, %.1f steps/s%n", what, step + 1, maxSteps,
                            (step + 1) / secs);
                    err.flush();
                }
            }
        };
    }

    /** A registered interrupt notice; closing it unregisters it. */
    public interface Notice extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Until closed, Ctrl-C (the JVM then exits 130, {@link ExitCode#INTERRUPTED}) prints how much of the run in
     * {@code dir} is kept and how to go on: "label: interrupted: 3 of 10 problems finished in DIR (2 this session);
     * the one in flight is lost; rerun the same command to resume".
     */
    public Notice interruptNotice(java.nio.file.Path dir) {
        return onInterrupt(() -> String.format(Locale.ROOT, "%n%s: interrupted: %d of %d %s finished in %s (%d this "
                + "session); the one in flight is lost; rerun the same command to resume", label, finished, total, unit,
                dir, finished - resumed));
    }

    /** Until closed, Ctrl-C prints {@code message}'s line. */
    public Notice onInterrupt(java.util.function.Supplier<String> message) {
        Thread hook = new Thread(() -> {
            err.println(message.get());
            err.flush();
        }, "mipeaks-" + label + "-interrupt-notice");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the notice prints
            }
        };
    }
}
