package dev.mipeaks.cli;

import dev.mipeaks.MipeaksException;
import java.io.PrintWriter;

/** Checks of options several commands share, made before anything is loaded or written. */
final class CliChecks {
    private CliChecks() {
    }

    /** --limit: absent = all problems (-1 for the loaders); a negative value is an error, not "all". */
    static int limit(Integer limit) {
        if (limit == null) {
            return -1;
        }
        if (limit < 0) {
            throw MipeaksException.invalid("--limit " + limit + ": must be >= 0 (leave it out for all problems)");
        }
        return limit;
    }

    /** The most threads a command starts: more than a few per core only costs memory and start-up time. */
    static int maxThreads() {
        return Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * --threads: absent = one per core; below 1 is an error; above {@link #maxThreads()} is capped with a note
     * (asking for 100000 threads would spend minutes creating them).
     */
    static int threads(Integer threads, PrintWriter err) {
        Integer t = threadsOrNull(threads, err);
        return t == null ? Runtime.getRuntime().availableProcessors() : t;
    }

    /** As {@link #threads} but absent stays null (the library's own default, e.g. LibTorch's). */
    static Integer threadsOrNull(Integer threads, PrintWriter err) {
        if (threads == null) {
            return null;
        }
        if (threads < 1) {
            throw MipeaksException.invalid("--threads " + threads + ": must be at least 1");
        }
        int cap = maxThreads();
        if (threads > cap) {
            err.println("mipeaks: note: --threads " + threads + " is more than this machine can use ("
                    + Runtime.getRuntime().availableProcessors() + " cores): using " + cap);
            err.flush();
            return cap;
        }
        return threads;
    }
}
