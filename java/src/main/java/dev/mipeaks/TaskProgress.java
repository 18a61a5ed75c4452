package dev.mipeaks;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Progress lines on stderr for the generation commands (rr, ttts, suppress): "rr: 3/10 problems (30.0%), 1234 tokens
 * at 45.6 tokens/s, elapsed 1m02s, ETA 2m20s | detail". The ETA assumes the remaining units take as long as the
 * finished ones of this run (resumed units don't count). With {@link #interruptNotice} a Ctrl-C says what is kept.
 */
public final class TaskProgress {
    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final int total;
    private final int skipped;
    private final long start = System.nanoTime();
    private long tokens;
    private long tokenNanos;
    private volatile int finished;

    public TaskProgress(PrintWriter err, String label, String unit, int total, int skipped) {
        this.err = err;
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.skipped = skipped;
        this.finished = skipped;
        if (skipped > 0) {
            err.printf(Locale.ROOT, "%s: resuming: %d of %d %s already finished%n", label, skipped, total, unit);
            err.flush();
        }
    }

    /** Adds generated tokens and the time spent generating them. */
    public void tokens(long n, long nanos) {
        tokens += n;
        tokenNanos += nanos;
    }

    public double tokensPerSecond() {
        return tokenNanos == 0 ? 0 : tokens / (tokenNanos / 1e9);
    }

    public long tokens() {
        return tokens;
    }

    public void done(int finished, String detail) {
        this.finished = finished;
        double secs = (System.nanoTime() - start) / 1e9;
        int ran = finished - skipped;
        double eta = ran > 0 ? secs / ran * (total - finished) : Double.NaN;
        err.printf(Locale.ROOT, "%s: %d/%d %s (%.1f%%), %d tokens at %.1f tokens/s, elapsed %s, ETA %s%s%n", label,
                finished, total, unit, total == 0 ? 100.0 : 100.0 * finished / total, tokens, tokensPerSecond(),
                Durations.format(secs), Double.isNaN(eta) ? "?" : Durations.format(eta), detail.isEmpty() ? "" : " | " + detail);
        err.flush();
    }

    /** A registered interrupt notice; closing it unregisters it. */
    public interface Notice extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Until closed, Ctrl-C (the JVM then exits 130, {@link ExitCode#INTERRUPTED}) prints how much of the
     * run in {@code dir} is kept and how to go on: finished units are lines of the results file, written atomically.
     */
    public Notice interruptNotice(Path dir) {
        Thread hook = new Thread(() -> {
            err.printf(Locale.ROOT, "%n%s: interrupted: %d of %d %s finished in %s (%d this session); the one in flight is "
                    + "lost; rerun the same command to resume%n", label, finished, total, unit, dir, finished - skipped);
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
