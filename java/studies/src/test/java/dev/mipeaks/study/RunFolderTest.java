package dev.mipeaks.study;

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

    static final RunFolder.Kind RR = RunFolder.Kind.of("rr", "a run folder of mipeaks rr", RunFolder.RESULTS)
            .notComparing(RunFolder.INFO);

    /** Opens, claims and reads the folder as rr does. */
    private RunFolder open(Path dir, ObjectNode config, boolean force) throws java.io.IOException {
        RunFolder f = RunFolder.open(dir, RR, force, err);
        try {
            f.claim(config);
            f.lines(RunFolder.RESULTS);
            return f;
        } catch (RuntimeException | java.io.IOException e) {
            f.close();
            throw e;
        }
    }

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
        RunFolder f = open(dir, config(0.5, 0), false);
        assertEquals(0, f.lines(RunFolder.RESULTS).size());
        f.append(RunFolder.RESULTS, line(0));
        f.append(RunFolder.RESULTS, line(3));
        ObjectNode again = config(0.5, 0L);
        again.putObject(RunFolder.INFO).put("limit", 7);
        RunFolder g = open(dir, again, false);
        assertEquals(2, g.lines(RunFolder.RESULTS).size());
        assertEquals(3, g.lines(RunFolder.RESULTS).get(1).path("index").asInt());
        // the stored config is the first run's
        assertTrue(Files.readString(dir.resolve(RunFolder.CONFIG)).contains("\"limit\" : 1"));
    }

    @Test
    void anotherConfigurationIsExit2NamingTheField() throws Exception {
        Path dir = tmp.resolve("run");
        open(dir, config(0.5, 0), false);
        MipeaksException e = assertThrows(MipeaksException.class, () -> open(dir, config(0.5, 1), false));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("field 'seed' is 0 but this run has 1"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        ObjectNode extra = config(0.5, 0);
        extra.put("layer", 23);
        e = assertThrows(MipeaksException.class, () -> open(dir, extra, false));
        assertTrue(e.getMessage().contains("field 'layer' is absent but this run has 23"), e.getMessage());
    }

    @Test
    void tornLastLineIsCutOffAndRunsAgain() throws Exception {
        Path dir = tmp.resolve("run");
        RunFolder f = open(dir, config(0, 0), false);
        f.append(RunFolder.RESULTS, line(0));
        Path results = dir.resolve(RunFolder.RESULTS);
        long good = Files.size(results);
        Files.write(results, "{\"index\":1,\"resp".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        RunFolder g = open(dir, config(0, 0), false);
        assertEquals(1, g.lines(RunFolder.RESULTS).size());
        assertEquals(good, Files.size(results), "torn tail truncated");
        assertTrue(errText.toString().contains("dropped an incomplete last line"), errText.toString());
        g.append(RunFolder.RESULTS, line(1));
        assertEquals(2, open(dir, config(0, 0), false).lines(RunFolder.RESULTS).size());
    }

    @Test
    void damagedMiddleLineIsExit2WithFileAndLine() throws Exception {
        Path dir = tmp.resolve("run");
        RunFolder f = open(dir, config(0, 0), false);
        f.append(RunFolder.RESULTS, line(0));
        Files.write(dir.resolve(RunFolder.RESULTS), "garbage\n{\"index\":2}\n".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        MipeaksException e = assertThrows(MipeaksException.class, () -> open(dir, config(0, 0), false));
        assertTrue(e.getMessage().contains(RunFolder.RESULTS + ":2: not a JSON object"), e.getMessage());
    }

    @Test
    void resultsWithoutConfigAreRefused() throws Exception {
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RunFolder.RESULTS), "{\"index\":0}\n");
        MipeaksException e = assertThrows(MipeaksException.class, () -> open(dir, config(0, 0), false));
        assertTrue(e.getMessage().contains("results but no config.json"), e.getMessage());
    }

    @Test
    void aSecondWriterIsRefusedWhileTheFolderIsOpen() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunFolder f = open(dir, config(0, 0), false)) {
            f.append(RunFolder.RESULTS, line(0));
            MipeaksException e = java.util.concurrent.CompletableFuture.supplyAsync(() -> assertThrows(
                    MipeaksException.class, () -> open(dir, config(0, 0), false))).get();
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains(": in use by ") && e.getMessage().contains("'mipeaks rr'"), e.getMessage());
        }
        // closed: the next writer resumes
        try (RunFolder g = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return open(dir, config(0, 0), false);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get()) {
            assertEquals(1, g.lines(RunFolder.RESULTS).size());
        }
    }

    @Test
    void aFolderWithOtherFilesIsRefusedUnlessForced() throws Exception {
        Path dir = tmp.resolve("mine");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        MipeaksException e = assertThrows(MipeaksException.class, () -> open(dir, config(0, 0), false));
        assertTrue(e.getMessage().contains("'notes.txt'") && e.getMessage().contains("--force"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve(RunFolder.CONFIG)));
        try (RunFolder f = open(dir, config(0, 0), true)) {
            assertEquals(0, f.lines(RunFolder.RESULTS).size());
        }
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void aResultsLineThatIsNotUtf8IsExit2WithFileAndLine() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunFolder f = open(dir, config(0, 0), false)) {
            f.append(RunFolder.RESULTS, line(0));
        }
        Files.write(dir.resolve(RunFolder.RESULTS), new byte[] {'{', '"', 'r', '"', ':', '"', (byte) 0xff, '"', '}', '\n',
                '{', '}', '\n'}, StandardOpenOption.APPEND);
        MipeaksException e = assertThrows(MipeaksException.class, () -> open(dir, config(0, 0), false));
        assertTrue(e.getMessage().contains(RunFolder.RESULTS + ":2: not UTF-8 text"), e.getMessage());
    }

    /** As the pipeline's folder: created is not compared, the slice is rewritten, numbers compare by value. */
    static final RunFolder.Kind RUN = RunFolder.Kind.of("run", "a run folder", "manifest.jsonl")
            .notComparing("created").withSlice("offset", "limit");

    static ObjectNode runConfig(String created, int limit, double sigma) {
        ObjectNode c = RunFolder.JSON.createObjectNode();
        c.put("model", "m");
        c.putObject("params").put("sigma", sigma);
        c.put("created", created);
        c.put("offset", 0);
        c.put("limit", limit);
        return c;
    }

    @Test
    void theSliceIsRewrittenAndOnlyTheIdentityIsCompared() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunFolder f = RunFolder.open(dir, RUN, false, err)) {
            f.claim(runConfig("monday", 2, 50.0));
        }
        try (RunFolder f = RunFolder.open(dir, RUN, false, err)) {
            // another date and a larger --limit resume; 50 stored as 50.0 is the same sigma
            ObjectNode now = runConfig("tuesday", 5, 50);
            ObjectNode stored = f.claim(now);
            assertEquals(5, stored.path("limit").asInt());
            assertEquals("monday", stored.path("created").asText(), "the first run's date is kept");
            assertEquals(stored, RunFolder.readConfig(dir));
            MipeaksException e = assertThrows(MipeaksException.class, () -> f.claim(runConfig("x", 5, 100)));
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
            assertEquals(dir.resolve(RunFolder.CONFIG) + ": field 'params' is {\"sigma\":50.0} but this run has "
                    + "{\"sigma\":100.0} (the folder holds a run with another configuration: use another --out, or "
                    + "the same options to resume)", e.getMessage());
        }
    }

    @Test
    void aManifestWithoutConfigIsRefusedBeforeTheFolderIsLocked() throws Exception {
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("manifest.jsonl"), "{\"index\":0}\n");
        MipeaksException e = assertThrows(MipeaksException.class, () -> RunFolder.open(dir, RUN, true, err));
        assertTrue(e.getMessage().startsWith(dir.resolve("manifest.jsonl") + ": results but no config.json"),
                e.getMessage());
        assertTrue(!Files.exists(dir.resolve(".mipeaks.lock")));
    }

    @Test
    void readLinesCutsAnInterruptedLineOnceAndRejectsADamagedOne() throws Exception {
        Path f = tmp.resolve("r.jsonl");
        Files.writeString(f, "{\"index\": 3, \"correct\": true}\n\n{\"index\": 5, \"correct\": false}\n{\"index\": 7, \"co");
        assertEquals(2, RunFolder.readLines(f, err).size());
        assertEquals("{\"index\": 3, \"correct\": true}\n\n{\"index\": 5, \"correct\": false}\n", Files.readString(f));
        assertTrue(errText.toString().contains(f + ":4: dropped an incomplete last line"), errText.toString());
        // a complete last line that is no JSON object (a write cut at a newline inside a string) is torn too
        Files.writeString(f, "{\"index\": 3}\n{\"index\": \"a\n", StandardOpenOption.APPEND);
        assertEquals(3, RunFolder.readLines(f, err).size());
        assertEquals("{\"index\": 3, \"correct\": true}\n\n{\"index\": 5, \"correct\": false}\n{\"index\": 3}\n",
                Files.readString(f));
        Files.writeString(f, "{\"index\": 3}\n{oops\n{\"index\": 4}\n");
        MipeaksException e = assertThrows(MipeaksException.class, () -> RunFolder.readLines(f, err));
        assertTrue(e.getMessage().startsWith(f + ":2: not a JSON object"), e.getMessage());
        assertEquals(0, RunFolder.readLines(tmp.resolve("none.jsonl"), err).size());
    }

    @Test
    void anotherRunsLinesAreReadWithoutRepairingThem() throws Exception {
        Path f = tmp.resolve("baseline.jsonl");
        String text = "{\"index\": 1}\n{\"index\": 2, \"tor";
        Files.writeString(f, text);
        assertEquals(1, RunFolder.readLines(f, null).size());
        assertEquals(text, Files.readString(f), "an input is left as it is");
        Files.writeString(f, "{\"index\": 1}\nnot json\n{\"index\": 2}\n");
        MipeaksException e = assertThrows(MipeaksException.class, () -> RunFolder.readLines(f, null));
        assertTrue(e.getMessage().startsWith(f + ":2: not a JSON object"), e.getMessage());
    }
}
