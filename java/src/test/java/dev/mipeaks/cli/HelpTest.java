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
}
