package dev.mipeaks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The options that restore the reference's behaviour are in --help and in the README's differences table. */
class FidelityOptionsHelpTest {
    private static String help(String... args) {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args);
        assertEquals(0, code);
        return out.toString();
    }

    @Test
    void helpShowsTheOptions() {
        String ttts = help("ttts", "--help");
        assertTrue(ttts.contains("--context=text|ids") && ttts.contains("--rules=strict|paper"), ttts);
        assertTrue(help("rr", "--help").contains("--rules=strict|paper"));
        assertTrue(help("grade", "--help").contains("--rules=strict|paper"));
        String run = help("run", "--help");
        assertTrue(run.contains("--gt-model=DIR") && run.contains("qwen25-math-cot"), run);
        assertTrue(help("estimators").contains("nhsic-paper-f32"));
    }

    @Test
    void readmeListsTheDifferencesAndOptions() throws Exception {
        Path readme = Path.of("..", "README.md");
        Assumptions.assumeTrue(Files.isRegularFile(readme), "no README.md at " + readme.toAbsolutePath());
        String md = Files.readString(readme);
        assertTrue(md.contains("## Differences from the reference code"));
        for (String s : new String[] {"--rules paper", "--context text", "--context ids", "--gt-model DIR",
                "nhsic-paper-f32", "qwen25-math-cot", "CacheMode.IN_PLACE"}) {
            assertTrue(md.contains(s), "README mentions " + s);
        }
    }
}
