package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset loader's cap on one line (JSONL) or record (CSV): exit 2 naming file and line, or a skipped row. */
class DatasetLineCapTest {
    @TempDir
    Path tmp;

    static String row(String problem) {
        return "{\"problem\": \"" + problem + "\", \"answer\": \"1\"}";
    }

    @Test
    void aLineOverTheCapIsExit2NamingFileAndLine() throws Exception {
        Path f = tmp.resolve("d.jsonl");
        String big = "x".repeat(5000);
        Files.write(f, List.of(row("a"), row(big), row("c")), StandardCharsets.UTF_8);
        MipeaksException e = assertThrows(MipeaksException.class,
                () -> new DatasetLoader().withMaxLineChars(1000).load(f.toString()));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertEquals(f + ":2: line of " + row(big).length() + " characters, more than the cap of 1000 (set "
                + "MIPEAKS_MAX_LINE_CHARS to raise it)", e.getMessage());
        // under a larger cap it loads; a line of exactly the cap is accepted
        assertEquals(3, new DatasetLoader().withMaxLineChars(row(big).length()).load(f.toString()).size());
        assertEquals(DatasetLoader.DEFAULT_MAX_LINE_CHARS, new DatasetLoader().maxLineChars());
    }

    @Test
    void inSkipModeItIsASkippedRowAndTheOthersKeepTheirIndices() throws Exception {
        Path f = tmp.resolve("d.jsonl");
        Files.write(f, List.of(row("a"), row("y".repeat(3000)), "", row("c")), StandardCharsets.UTF_8);
        Dataset d = new DatasetLoader().withMaxLineChars(1000).withMode(DatasetLoader.Mode.SKIP).load(f.toString());
        assertEquals(2, d.size());
        assertEquals(List.of(0, 2), d.records().stream().map(DatasetRecord::index).toList());
        assertEquals("c", d.get(1).problem());
        assertEquals(1, d.skipped().size());
        assertEquals(2, d.skipped().get(0).line());
        assertTrue(d.skipped().get(0).reason().startsWith("line of 3030 characters, more than the cap of 1000"),
                d.skipped().get(0).reason());
    }

    @Test
    void aCsvRecordOverTheCapSpanningLinesIsNamedAtItsFirstLine() throws Exception {
        Path f = tmp.resolve("d.csv");
        String longSolution = "\"" + "line\n".repeat(400) + "\\boxed{2}\"";
        Files.writeString(f, "problem,solution\nfirst,\"\\boxed{1}\"\nsecond," + longSolution + "\nthird,\"\\boxed{3}\"\n",
                StandardCharsets.UTF_8);
        MipeaksException e = assertThrows(MipeaksException.class,
                () -> new DatasetLoader().withMaxLineChars(500).load(f.toString()));
        assertTrue(e.getMessage().startsWith(f + ":3: record of "), e.getMessage());
        Dataset d = new DatasetLoader().withMaxLineChars(500).withMode(DatasetLoader.Mode.SKIP).load(f.toString());
        assertEquals(List.of("first", "third"), d.records().stream().map(DatasetRecord::problem).toList());
        assertEquals("3", d.get(1).answer());
        assertEquals(3, new DatasetLoader().withMaxLineChars(5000).load(f.toString()).size());
    }

    @Test
    void theLineReaderSplitsAsReadLineDoesAndKeepsNoMoreThanTheCap() throws Exception {
        LineReader r = new LineReader(new StringReader("ab\r\ncd\ref\n\nlong-line\nz"), 4);
        List<String> got = new ArrayList<>();
        LineReader.Line l;
        while ((l = r.next()) != null) {
            got.add(l.tooLong() ? "<" + l.length() + ">" : l.text());
        }
        assertEquals(List.of("ab", "cd", "ef", "", "<9>", "z"), got);
    }

    @Test
    void aBadCapIsExit2() {
        MipeaksException e = assertThrows(MipeaksException.class, () -> new DatasetLoader().withMaxLineChars(0));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
    }
}
