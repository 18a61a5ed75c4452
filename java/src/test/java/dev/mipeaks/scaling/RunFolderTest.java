package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resumable run folders: config checks, appended lines, torn tails. */
class RunFolderTest {
    @TempDir
    Path tmp;

    private final StringWriter errText = new StringWriter();
    private final PrintWriter err = new PrintWriter(errText, true);

    static ObjectNode config(double p, long seed) {
        ObjectNode c = RunFolder.JSON.createObjectNode();
        c.put("command", "rr");
        c.put("probability", p);
        c.put("seed", seed);
        c.putObject(RunFolder.INFO).put("limit", 1);
        return c;
    }

    static ObjectNode line(int index) {
        ObjectNode l = RunFolder.JSON.createObjectNode();
        l.put("index", index);
        l.put("response", "r" + index);
        return l;
    }

    @Test
    void appendedLinesSurviveReopenAndInfoIsNotCompared() throws Exception {
        Path dir = tmp.resolve("run");
        RunFolder f = RunFolder.open(dir, config(0.5, 0), err);
        assertEquals(0, f.finished().size());
        f.append(line(0));
        f.append(line(3));
        ObjectNode again = config(0.5, 0L);
        again.putObject(RunFolder.INFO).put("limit", 7);
        RunFolder g = RunFolder.open(dir, again, err);
        assertEquals(2, g.finished().size());
        assertEquals(3, g.finished().get(1).path("index").asInt());
        // the stored config is the first run's
        assertTrue(Files.readString(dir.resolve(RunFolder.CONFIG)).contains("\"limit\" : 1"));
    }

    @Test
    void anotherConfigurationIsExit2NamingTheField() throws Exception {
        Path dir = tmp.resolve("run");
        RunFolder.open(dir, config(0.5, 0), err);
        MipeaksException e = assertThrows(MipeaksException.class, () -> RunFolder.open(dir, config(0.5, 1), err));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("field 'seed' is 0 in the run folder but 1 now"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        ObjectNode extra = config(0.5, 0);
        extra.put("layer", 23);
        e = assertThrows(MipeaksException.class, () -> RunFolder.open(dir, extra, err));
        assertTrue(e.getMessage().contains("field 'layer' is (absent) in the run folder but 23 now"), e.getMessage());
    }

    @Test
    void tornLastLineIsCutOffAndRunsAgain() throws Exception {
        Path dir = tmp.resolve("run");
        RunFolder f = RunFolder.open(dir, config(0, 0), err);
        f.append(line(0));
        Path results = dir.resolve(RunFolder.RESULTS);
        long good = Files.size(results);
        Files.write(results, "{\"index\":1,\"resp".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        RunFolder g = RunFolder.open(dir, config(0, 0), err);
        assertEquals(1, g.finished().size());
        assertEquals(good, Files.size(results), "torn tail truncated");
        assertTrue(errText.toString().contains("dropped an incomplete last line"), errText.toString());
        g.append(line(1));
        assertEquals(2, RunFolder.open(dir, config(0, 0), err).finished().size());
    }

    @Test
    void damagedMiddleLineIsExit2WithFileAndLine() throws Exception {
        Path dir = tmp.resolve("run");
        RunFolder f = RunFolder.open(dir, config(0, 0), err);
        f.append(line(0));
        Files.write(dir.resolve(RunFolder.RESULTS), "garbage\n{\"index\":2}\n".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        MipeaksException e = assertThrows(MipeaksException.class, () -> RunFolder.open(dir, config(0, 0), err));
        assertTrue(e.getMessage().contains(RunFolder.RESULTS + ":2: not a JSON object"), e.getMessage());
    }

    @Test
    void resultsWithoutConfigAreRefused() throws Exception {
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RunFolder.RESULTS), "{\"index\":0}\n");
        MipeaksException e = assertThrows(MipeaksException.class, () -> RunFolder.open(dir, config(0, 0), err));
        assertTrue(e.getMessage().contains("results without config.json"), e.getMessage());
    }

    @Test
    void aSecondWriterIsRefusedWhileTheFolderIsOpen() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunFolder f = RunFolder.open(dir, config(0, 0), err)) {
            f.append(line(0));
            MipeaksException e = java.util.concurrent.CompletableFuture.supplyAsync(() -> assertThrows(
                    MipeaksException.class, () -> RunFolder.open(dir, config(0, 0), err))).get();
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains(": in use by ") && e.getMessage().contains("'mipeaks rr'"), e.getMessage());
        }
        // closed: the next writer resumes
        try (RunFolder g = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return RunFolder.open(dir, config(0, 0), err);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get()) {
            assertEquals(1, g.finished().size());
        }
    }

    @Test
    void aFolderWithOtherFilesIsRefusedUnlessForced() throws Exception {
        Path dir = tmp.resolve("mine");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        MipeaksException e = assertThrows(MipeaksException.class, () -> RunFolder.open(dir, config(0, 0), err));
        assertTrue(e.getMessage().contains("'notes.txt'") && e.getMessage().contains("--force"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve(RunFolder.CONFIG)));
        try (RunFolder f = RunFolder.open(dir, config(0, 0), true, err)) {
            assertEquals(0, f.finished().size());
        }
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void aResultsLineThatIsNotUtf8IsExit2WithFileAndLine() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunFolder f = RunFolder.open(dir, config(0, 0), err)) {
            f.append(line(0));
        }
        Files.write(dir.resolve(RunFolder.RESULTS), new byte[] {'{', '"', 'r', '"', ':', '"', (byte) 0xff, '"', '}', '\n',
                '{', '}', '\n'}, StandardOpenOption.APPEND);
        MipeaksException e = assertThrows(MipeaksException.class, () -> RunFolder.open(dir, config(0, 0), err));
        assertTrue(e.getMessage().contains(RunFolder.RESULTS + ":2: not UTF-8 text"), e.getMessage());
    }
}
