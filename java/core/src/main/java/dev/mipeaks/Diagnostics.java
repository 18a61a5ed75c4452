package dev.mipeaks;

/**
 * Whether the command line asked for details ({@code --debug}): notices that are one quiet line by default (e.g.
 * "no GPU found, MI on the CPU") then add their reason, and errors their stack trace. Set by the CLI for each
 * invocation; library callers leave it off.
 */
public final class Diagnostics {
    private static volatile boolean debug;

    private Diagnostics() {
    }

    public static boolean debug() {
        return debug;
    }

    public static void setDebug(boolean on) {
        debug = on;
    }
}
