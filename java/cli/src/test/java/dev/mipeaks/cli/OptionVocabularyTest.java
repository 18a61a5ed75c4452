package dev.mipeaks.cli;

import static dev.mipeaks.CliResult.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.CliResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/** One name for the same thing on every command, the old names kept as hidden aliases. */
class OptionVocabularyTest {
    static String help(String command) {
        CliResult r = run(command, "--help");
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    @Test
    void thinkingTokenTableAndWordCountHaveOneNameInSuppressRrAndTtts() {
        for (String command : new String[] {"suppress", "rr", "ttts"}) {
            String h = help(command);
            assertTrue(h.contains("--thinking-tokens="), command + ": " + h);
            assertTrue(h.contains("--top-words="), command + ": " + h);
            for (String old : new String[] {"--tokens=", "--count=", "--trigger-table="}) {
                assertFalse(h.contains(old), command + " lists the old name " + old);
            }
        }
    }

    @Test
    void rrTakesTheOldTableNameAsAnAlias() {
        String[] base = {"rr", "--model", "no-such-model-dir", "--dataset", "math500", "--out", "unused-out",
                "--trigger-ids", "1"};
        // the alias lands in the same option: it then excludes --trigger-ids like the new name does
        for (String name : new String[] {"--thinking-tokens", "--trigger-table"}) {
            String[] args = java.util.Arrays.copyOf(base, base.length + 2);
            args[base.length] = name;
            args[base.length + 1] = "table.jsonl";
            CliResult r = run(args);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--trigger-ids and --thinking-tokens exclude each other"), name + ": " + r.err());
            assertEquals(name.equals("--trigger-table"), r.err().contains("--trigger-table is now --thinking-tokens"),
                    r.err());
        }
        CliResult both = run("rr", "--model", "m", "--dataset", "d", "--out", "o", "--thinking-tokens", "a.jsonl",
                "--trigger-table", "b.jsonl");
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("--thinking-tokens and --trigger-table (its old name) given together"), both.err());
    }

    @Test
    void everyParameterThatEstimatorsListsIsAnOptionOfEstimateAndRun() {
        picocli.CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        int seen = 0;
        for (var provider : dev.mipeaks.mi.EstimatorRegistry.load().all()) {
            for (var p : provider.parameters()) {
                for (String command : new String[] {"estimate", "run"}) {
                    assertTrue(cl.getSubcommands().get(command).getCommandSpec().findOption("--" + p.name()) != null,
                            command + " lacks --" + p.name() + " that 'estimators' lists for " + provider.name());
                }
                seen++;
            }
        }
        assertTrue(seen > 3, "parameters seen: " + seen);
    }

    /** Calls {@code check} with every option of every command (the command's name, the option). */
    static void forEachOption(BiConsumer<String, OptionSpec> check) {
        picocli.CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (var e : cl.getSubcommands().entrySet()) {
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                check.accept(e.getKey(), o);
            }
        }
    }

    @Test
    void everyDefaultIsShownInHelp() {
        StringBuilder missing = new StringBuilder();
        forEachOption((command, o) -> {
            if (o.hidden() || o.defaultValue() == null || o.usageHelp() || o.versionHelp()) {
                return;
            }
            String d = String.join(" ", o.description());
            if (!d.contains("${DEFAULT-VALUE}") && !d.toLowerCase(java.util.Locale.ROOT).contains("default")) {
                missing.append(command).append(' ').append(o.longestName()).append('\n');
            }
        });
        assertEquals("", missing.toString(), "options whose default --help does not show");
    }

    @Test
    void everyValueHasALabelNotAFieldName() {
        StringBuilder unlabelled = new StringBuilder();
        forEachOption((command, o) -> {
            if (o.arity().max() > 0 && !o.hidden() && o.paramLabel().startsWith("<")) {
                unlabelled.append(command).append(' ').append(o.longestName()).append(' ')
                        .append(o.paramLabel()).append('\n');
            }
        });
        assertEquals("", unlabelled.toString());
    }
}
