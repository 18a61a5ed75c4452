package dev.mipeaks.scaling;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress lines on stderr: "rr: 3/10 problems (30.0%), 1234 tokens at 45.6 tokens/s, elapsed 1m02s, ETA 2m20s".
 * The ETA assumes the remaining units take as long as the finished ones of this run (resumed units don't count).
 */
final class Progress {
    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final int total;
    private final int skipped;
    private final long start = System.nanoTime();
    private long tokens;
    private long tokenNanos;

    Progress(PrintWriter err, String label, String unit, int total, int skipped) {
        this.err = err;
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.skipped = skipped;
        if (skipped > 0) {
            err.printf(Locale.ROOT, "%s: resuming: %d of %d %s already finished%n", label, skipped, total, unit);
            err.flush();
        }
    }

    /** Adds generated tokens and the time spent generating them. */
    void tokens(long n, long nanos) {
        tokens += n;
        tokenNanos += nanos;
    }

    double tokensPerSecond() {
        return tokenNanos == 0 ? 0 : tokens / (tokenNanos / 1e9);
    }

    long tokens() {
        return tokens;
    }

    void done(int finished, String detail) {
        double secs = (System.nanoTime() - start) / 1e9;
        int ran = finished - skipped;
        double eta = ran > 0 ? secs / ran * (total - finished) : Double.NaN;
        err.printf(Locale.ROOT, "%s: %d/%d %s (%.1f%%), %d tokens at %.1f tokens/s, elapsed %s, ETA %s%s%n", label,
                finished, total, unit, total == 0 ? 100.0 : 100.0 * finished / total, tokens, tokensPerSecond(),
                dev.mipeaks.Durations.format(secs), Double.isNaN(eta) ? "?" : dev.mipeaks.Durations.format(eta), detail.isEmpty() ? "" : " | " + detail);
        err.flush();
    }

}
