package dev.mipeaks.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints "label: done/total (pct) rate/s ETA" to the error stream at most every {@code intervalMs}, and a final line.
 * Thread-safe: workers may call {@link #update} concurrently.
 */
public final class ProgressPrinter {
    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long lastPrint;
    private long lastDone = -1;

    public ProgressPrinter(PrintWriter err, String label, String unit, long intervalMs) {
        this.err = err;
        this.label = label;
        this.unit = unit;
        this.intervalNanos = intervalMs * 1_000_000L;
        this.lastPrint = start;
    }

    public synchronized void update(long done, long total) {
        long now = System.nanoTime();
        if (done < total && now - lastPrint < intervalNanos) {
            return;
        }
        if (done == lastDone) {
            return;
        }
        lastPrint = now;
        lastDone = done;
        err.println(line(done, total, now));
        err.flush();
    }

    String line(long done, long total, long now) {
        double secs = Math.max(1e-9, (now - start) / 1e9);
        double rate = done / secs;
        String eta = rate > 0 && total > done ? dev.mipeaks.Durations.format((total - done) / rate) : "0s";
        return String.format(Locale.ROOT, "%s: %d/%d %s (%.1f%%) %.1f %s/s, elapsed %s, ETA %s", label, done, total, unit,
                total == 0 ? 100.0 : 100.0 * done / total, rate, unit, dev.mipeaks.Durations.format(secs), eta);
    }

}
