package dev.mipeaks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The report package sits above the studies' data: no compiled class of analysis, eval, scaling, suppress or study
 * refers to a class of dev.mipeaks.report (a runner that writes a report takes the writer from its caller).
 */
class ReportLayeringTest {
    static final List<String> BELOW = List.of("analysis", "eval", "scaling", "suppress", "study");

    @Test
    void noStudyPackageRefersToTheReportPackage() throws IOException, URISyntaxException {
        Path classes = Path.of(dev.mipeaks.analysis.RunOutputs.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        Assumptions.assumeTrue(Files.isDirectory(classes),
                "the studies' classes are not a folder here (" + classes + "): nothing to scan");
        byte[] report = "dev/mipeaks/report/".getBytes(StandardCharsets.UTF_8);
        List<String> scanned = new ArrayList<>();
        List<String> offending = new ArrayList<>();
        for (String p : BELOW) {
            Path dir = classes.resolve("dev/mipeaks").resolve(p);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(x -> x.toString().endsWith(".class")).toList()) {
                    scanned.add(p);
                    if (contains(Files.readAllBytes(f), report)) {
                        offending.add(classes.relativize(f).toString());
                    }
                }
            }
        }
        assertFalse(scanned.isEmpty(), "no class of " + BELOW + " under " + classes);
        assertEquals(List.of(), offending, "classes below the report package that refer to it");
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
