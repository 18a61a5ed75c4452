package dev.mipeaks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class HelpTest {
    @Test
    void rootHelpGroupsEveryCommandAndListsTheExitCodes() {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help");
        assertEquals(0, code);
        String text = out.toString();
        for (String group : GroupedCommandList.GROUPS.keySet()) {
            assertTrue(text.contains(group + ":"), group);
        }
        picocli.CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (String name : cl.getSubcommands().keySet()) {
            assertTrue(text.contains("\n  " + name + " "), "command '" + name + "' listed");
        }
        assertTrue(text.contains("130 interrupted"), text);
        assertTrue(!text.contains("%n"), text);
    }

    @Test
    void everyCommandAnswersHelpAndDashHEvenWithoutItsRequiredOptions() {
        picocli.CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (String name : cl.getSubcommands().keySet()) {
            for (String flag : new String[] {"--help", "-h"}) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code = Main.run(new PrintWriter(out), new PrintWriter(err), name, flag);
                assertEquals(0, code, name + " " + flag + ": " + err);
                assertTrue(out.toString().contains("Usage:"), name + " " + flag + ": " + out);
            }
        }
    }

    @Test
    void everyDeviceOptionDefaultsToAutoAndShowsItsDefault() {
        picocli.CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        int seen = 0;
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("gpu-info")) {
                continue; // asks about one GPU, not where to compute
            }
            picocli.CommandLine.Model.OptionSpec device = e.getValue().getCommandSpec().findOption("--device");
            if (device == null) {
                continue;
            }
            seen++;
            assertEquals("auto", device.defaultValue(), e.getKey());
            StringWriter help = new StringWriter();
            assertEquals(0, Main.run(new PrintWriter(help), new PrintWriter(new StringWriter()), e.getKey(), "--help"));
            String shown = help.toString().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
            assertTrue(shown.contains("default: auto"), e.getKey() + " shows its --device default: " + help);
            assertTrue(device.paramLabel().startsWith("auto|cpu|cuda[:N]"), e.getKey() + ": " + device.paramLabel());
        }
        for (String name : new String[] {"trace", "run", "estimate", "rr", "ttts", "suppress", "lens"}) {
            assertTrue(cl.getSubcommands().get(name).getCommandSpec().findOption("--device") != null, name);
        }
        assertTrue(seen >= 7, "device options seen: " + seen);
    }

    @Test
    void rootHelpSaysWhereToStartAndCutsNoDescription() {
        StringWriter out = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help"));
        String text = out.toString();
        assertTrue(text.contains("Where to start:"), text);
        int demo = text.indexOf("mipeaks demo");
        int run = text.indexOf("mipeaks run ");
        int peaks = text.indexOf("mipeaks peaks");
        int compare = text.indexOf("mipeaks compare");
        assertTrue(demo > 0 && demo < run && run < peaks && peaks < compare, text);
        assertTrue(!text.contains("..."), "a cut-off description: " + text);
        String flat = text.replaceAll("\\s+", " ");
        picocli.CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (var e : cl.getSubcommands().entrySet()) {
            String summary = GroupedCommandList.summary(e.getValue());
            assertTrue(flat.contains(summary), e.getKey() + ": '" + summary + "' not whole in: " + text);
        }
        for (String line : text.split("\\R")) {
            assertTrue(line.length() <= cl.getCommandSpec().usageMessage().width(), "too wide: " + line);
        }
        // the description and the exit codes are shown line for line, none wrapped in the middle
        java.util.List<String> lines = java.util.Arrays.asList(text.split("\\R"));
        var usage = cl.getCommandSpec().usageMessage();
        for (String[] block : new String[][] {usage.description(), usage.footer()}) {
            for (String declared : block) {
                assertTrue(lines.contains(declared.stripTrailing()), "'" + declared + "' wrapped in: " + text);
            }
        }
    }
}
