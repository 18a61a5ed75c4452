package dev.mipeaks;

import dev.mipeaks.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * One {@code mipeaks ARGS...} call in this JVM: its exit code and what it printed on stdout and stderr. The tests'
 * one way to run a command in process ({@link CliProcess} runs it in a child JVM).
 */
public record CliResult(int code, String out, String err) {
    /** Runs {@code mipeaks ARGS...} through {@link Main#run} with captured output. */
    public static CliResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliResult(code, out.toString(), err.toString());
    }

    /** {@link #run(String...)} with the arguments as a list. */
    public static CliResult run(List<String> args) {
        return run(args.toArray(String[]::new));
    }
}
