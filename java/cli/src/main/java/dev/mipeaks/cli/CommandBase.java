package dev.mipeaks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every subcommand has: its picocli spec and the out/err writers picocli was given (injected, so a test that
 * runs a command captures both). A subcommand parses its options, builds a request and calls one library method.
 */
abstract class CommandBase implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Standard output of this invocation. */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error of this invocation (notes, progress, warnings). */
    final PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
