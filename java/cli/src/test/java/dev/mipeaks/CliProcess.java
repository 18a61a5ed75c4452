package dev.mipeaks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The CLI in a child JVM (this test classpath), for what needs a real process: Ctrl-C, exit codes of the JVM. */
public final class CliProcess {
    private CliProcess() {
    }

    /** Starts {@code mipeaks ARGS...}; stdout and stderr go to {@code log}. */
    public static Process start(List<String> args, Path log) throws IOException {
        return start(args, log, java.util.Map.of());
    }

    /** Starts {@code mipeaks ARGS...} with {@code env} added to the environment; output goes to {@code log}. */
    public static Process start(List<String> args, Path log, java.util.Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>();
        // A process started in the background by a non-interactive shell (as CI may start us) inherits SIGINT as
        // ignored, and the JVM then installs no handler for it: reset it to the default for the child, as a
        // terminal's Ctrl-C would find it.
        if (defaultSignalSupported()) {
            cmd.addAll(List.of("env", "--default-signal=INT"));
        }
        cmd.addAll(List.of(java, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                "dev.mipeaks.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs {@code mipeaks ARGS...} with {@code env} to the end (at most 300 s); returns the exit code. */
    public static int run(List<String> args, Path log, java.util.Map<String, String> env) throws Exception {
        Process p = start(args, log, env);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mipeaks " + args + " did not finish in 300 s: " + Files.readString(log));
        }
        return p.exitValue();
    }

    /** Waits (at most 120 s) until {@code ready} holds while the process is alive, then sends it SIGINT. */
    public static void interruptWhen(Process p, Path log, String what, BooleanSupplier ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!ready.getAsBoolean()) {
            assertTrue(p.isAlive(), "ended before " + what + ": " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no " + what + " within 120 s: " + Files.readString(log));
            Thread.sleep(10);
        }
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
        assertEquals(0, kill.waitFor());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not stop on SIGINT");
    }

    /** Lines of a file, or none while it does not exist. */
    public static int lineCount(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;  // being replaced atomically right now
        }
    }

    private static boolean defaultSignalSupported() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
