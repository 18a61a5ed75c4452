package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.SharedData;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {
    static Path resource(String name) {
        try {
            return Path.of(DatasetLoaderTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void math500() {
        Dataset d = new DatasetLoader().withDataRoot(SharedData.require("data")).load("math500");
        assertEquals(500, d.size());
        DatasetRecord r = d.get(0);
        assertEquals(0, r.index());
        assertEquals("test/precalculus/807.json", r.id());
        assertEquals("\\left( 3, \\frac{\\pi}{2} \\right)", r.answer());
        assertEquals("Precalculus", r.subject());
        assertEquals(2, r.level());
        assertTrue(r.problem().startsWith("Convert the point $(0,3)$"));
        assertTrue(r.solution().contains("\\boxed{"));
        assertEquals(r, d.byId("test/precalculus/807.json").orElseThrow());
        assertTrue(d.records().stream().allMatch(x -> x.answer() != null && x.level() != null && x.subject() != null));
    }

    @Test
    void aime24() {
        Dataset d = new DatasetLoader().withDataRoot(SharedData.require("data")).load("aime24");
        assertEquals(30, d.size());
        assertEquals("60", d.get(0).id());
        assertEquals("204", d.get(0).answer());
        assertTrue(d.records().stream().allMatch(x -> x.answer().matches("\\d+")), "AIME answers are integers");
        assertNull(d.get(0).level());
    }

    @Test
    void gsm8k() {
        Dataset d = new DatasetLoader().withDataRoot(SharedData.require("data")).load("gsm8k");
        assertEquals(1319, d.size());
        DatasetRecord r = d.get(0);
        assertTrue(r.problem().startsWith("Janet"));
        assertEquals("18", r.answer());
        assertTrue(r.solution().endsWith("#### 18"), "the full worked answer is the solution");
        assertEquals("0", r.id());
        // every ground truth is a plain number without thousands commas
        assertTrue(d.records().stream().allMatch(x -> x.answer().matches("-?\\d+(\\.\\d+)?")),
                "non-numeric GSM8K answer");
        // a row whose answer had a thousands separator
        assertTrue(d.records().stream().anyMatch(x -> x.solution().matches("(?s).*#### \\d{1,3},\\d{3}\\s*$")));
    }

    @Test
    void offsetAndLimitKeepFileIndices() {
        Dataset d = new DatasetLoader().withDataRoot(SharedData.require("data")).withOffset(10).withLimit(5).load("math500");
        assertEquals(5, d.size());
        assertEquals(10, d.get(0).index());
        assertEquals(14, d.get(4).index());
        assertTrue(d.byIndex(12).isPresent());
        assertTrue(d.byIndex(9).isEmpty());
    }

    @Test
    void csvWithQuotedMultiLineFields() {
        Dataset d = new DatasetLoader().load(resource("train-sample.csv").toString());
        assertEquals(3, d.size());
        assertEquals("What is $1+1$?", d.get(0).problem());
        assertEquals("2", d.get(0).answer(), "answer = last \\boxed of the solution");
        assertEquals("A \"quoted\" problem, with a comma", d.get(1).problem());
        assertEquals("Line one\r\nline two, with \\boxed{\\frac{1}{2}}", d.get(1).solution());
        assertEquals("\\frac{1}{2}", d.get(1).answer());
        assertEquals("Just text", d.get(2).problem());
        assertEquals("\\frac{\\sqrt{3}}{2}", d.get(2).answer());
        assertEquals(2, d.get(2).index());
    }

    @Test
    void csvBadRowsStrictAndSkip() {
        Path f = resource("bad-sample.csv");
        MipeaksException e = assertThrows(MipeaksException.class, () -> new DatasetLoader().load(f.toString()));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("bad-sample.csv:3:"), e.getMessage());
        Dataset d = new DatasetLoader().withMode(DatasetLoader.Mode.SKIP).load(f.toString());
        assertEquals(2, d.size());
        assertEquals(2, d.skipped().size());
        assertEquals(3, d.skipped().get(0).line());
        assertTrue(d.skipped().get(0).reason().contains("expected 2 fields"));
        assertEquals(4, d.skipped().get(1).line());
        assertTrue(d.skipped().get(1).reason().contains("no problem"));
        assertEquals(3, d.get(1).index(), "indices count every row, including skipped ones");
    }

    @Test
    void jsonlBadRowsStrictAndSkip() {
        Path f = resource("bad.jsonl");
        MipeaksException e = assertThrows(MipeaksException.class, () -> new DatasetLoader().load(f.toString()));
        assertTrue(e.getMessage().contains("bad.jsonl:2: invalid JSON"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one-line message");
        Dataset d = new DatasetLoader().withMode(DatasetLoader.Mode.SKIP).load(f.toString());
        assertEquals(2, d.size());
        assertEquals(2, d.skipped().size());
        assertEquals(3, d.skipped().get(1).line());
        assertEquals(2, d.get(1).level(), "\"Level 2\" is read as 2");
        assertEquals("Algebra", d.get(1).subject());
    }

    @Test
    void fieldMapping(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("custom.jsonl");
        Files.writeString(f, "{\"q\":\"What?\",\"sol\":\"Because.\",\"final\":\"7\",\"key\":\"a1\"}\n");
        Dataset d = new DatasetLoader().withFields("problem=q,solution=sol,answer=final,id=key").load(f.toString());
        assertEquals("What?", d.get(0).problem());
        assertEquals("Because.", d.get(0).solution());
        assertEquals("7", d.get(0).answer());
        assertEquals("a1", d.get(0).id());
        assertEquals("custom", d.name());
        assertEquals(Map.of("q", "What?", "sol", "Because.", "final", "7", "key", "a1"), d.get(0).raw());
        MipeaksException missing = assertThrows(MipeaksException.class,
                () -> new DatasetLoader().withFields("problem=question").load(f.toString()));
        assertTrue(missing.getMessage().contains("custom.jsonl:1: no field 'question'"), missing.getMessage());
        assertThrows(MipeaksException.class, () -> new DatasetLoader().withFields("problme=q"));
        assertThrows(MipeaksException.class, () -> new DatasetLoader().withFields("problem"));
    }

    @Test
    void unknownNameIsAnInvalidInputError(@TempDir Path dir) {
        MipeaksException e = assertThrows(MipeaksException.class,
                () -> new DatasetLoader().withDataRoot(dir).load("math500"));
        assertTrue(e.getMessage().contains("math500") && e.getMessage().contains("not found"), e.getMessage());
        assertThrows(MipeaksException.class, () -> new DatasetLoader().withDataRoot(dir).load("nosuch"));
    }

    @Test
    void defaultDataRootFindsSharedFromTheModuleDirectory() {
        SharedData.require("data");
        Path root = DatasetLoader.defaultDataRoot();
        assertTrue(Files.isRegularFile(root.resolve("math500/test.jsonl")), "default data root " + root);
    }
}
