package dev.mipeaks.cli;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.IoErrors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The mipeaks command line: a thin layer over the library. Every command is a {@code Callable<Integer>};
 * errors meant for the user are {@link MipeaksException}s that carry their exit code and are printed as one line.
 */
@Command(name = "mipeaks",
        mixinStandardHelpOptions = true,
        version = "mipeaks 0.1.0",
        description = {"Mutual-information peaks in LLM reasoning: trace, measure, analyse.",
                "",
                "Where to start:",
                "  1. mipeaks demo                 a whole run on a random model, no download",
                "  2. mipeaks run --model M --dataset D --out runs/NAME",
                "                                  generate, record hidden states, MI per step",
                "  3. mipeaks peaks runs/NAME      the MI peaks and their tokens",
                "     mipeaks report runs/NAME     plots and report.md",
                "  4. mipeaks compare runs/A runs/B",
                "                                  two or more runs side by side",
                "Every command takes --help (or -h)."},
        subcommands = {
                EstimatorsCommand.class,
                EstimateCommand.class,
                PeaksCommand.class,
                ReportCommand.class,
                CompareCommand.class,
                GradeCommand.class,
                TraceCommand.class,
                GpuInfoCommand.class,
                SuppressCommand.class,
                LensCommand.class,
                RrCommand.class,
                TttsCommand.class,
                RunCommand.class,
                MergeCommand.class,
                DemoCommand.class,
                CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0   success",
                "  1   unexpected error (a bug)",
                "  2   invalid input: a file, tensor, row, field or option is wrong, or a file",
                "      cannot be read or written (full disk, read-only folder); the message",
                "      names it",
                "  3   the requested device (GPU, kernels) is not available",
                "  130 interrupted (Ctrl-C); finished items are kept, the run resumes"})
public final class Main implements Runnable {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with injected streams (tests pass their own writers). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new GroupedCommandList());
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, help -> System.lineSeparator());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionStrategy(parseResult -> {
            dev.mipeaks.Diagnostics.setDebug(debugRequested(parseResult));
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean dbg = debugRequested(parseResult);
            Throwable t = ex;
            if (t instanceof MipeaksException me) {
                commandLine.getErr().println("mipeaks: error: " + me.getMessage());
                if (dbg) {
                    me.printStackTrace(commandLine.getErr());
                }
                commandLine.getErr().flush();
                return me.exitCode().code();
            }
            IOException io = ioCause(t);
            if (io != null) {
                // a full disk, a read-only or missing folder, a permission: the path and the reason, exit 2
                commandLine.getErr().println("mipeaks: error: " + IoErrors.describe(io));
                if (dbg) {
                    t.printStackTrace(commandLine.getErr());
                }
                commandLine.getErr().flush();
                return ExitCode.INVALID_INPUT.code();
            }
            commandLine.getErr().println("mipeaks: internal error: " + t + (dbg ? "" : " (run with --debug for the stack trace)"));
            if (dbg) {
                t.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return ExitCode.ERROR.code();
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            if (ex.getCause() instanceof MipeaksException me) {
                // a converter's own message (it names the option and the value): one line, its exit code
                c.getErr().println("mipeaks: error: " + me.getMessage());
                c.getErr().flush();
                return me.exitCode().code();
            }
            c.getErr().println("mipeaks: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            c.getErr().flush();
            return ExitCode.INVALID_INPUT.code();
        });
        return cl;
    }

    /** Whether --debug was given (before or after the subcommand). */
    static boolean debugRequested(CommandLine.ParseResult parseResult) {
        return parseResult.hasMatchedOption("--debug")
                || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
    }

    /** The I/O failure behind {@code t} (itself, or the cause of an UncheckedIOException), or null. */
    static IOException ioCause(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof UncheckedIOException u) {
            return u.getCause();
        }
        return null;
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }
}
