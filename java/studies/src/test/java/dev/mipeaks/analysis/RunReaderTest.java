package dev.mipeaks.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.MipeaksException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReaderTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripsWhatTheWriterWrites() throws Exception {
        SyntheticRun s = new SyntheticRun();
        s.problems = 3;
        s.skipped = List.of(1);
        RunData run = RunReader.open(s.write(tmp.resolve("r")));
        assertEquals(List.of(2, 5), run.config().layers());
        assertEquals("nhsic eps=0.00001 sigma=50", run.config().estimatorDescription()); // plain numbers, no "1.0E-5"
        assertEquals(1L, run.config().raw().get("seed").asLong());        // unknown fields are kept
        assertEquals(3, run.manifest().size());
        assertEquals(2, run.okEntries().size());
        assertEquals("prompt too long", run.skipped().get(0).reason());
        ProblemRecord p = run.problem(run.okEntries().get(1));
        assertEquals(2, p.index());
        assertEquals("problems/00002.json", run.okEntries().get(1).file());
        assertEquals(p.tokens().size(), p.mi(5).length);
        assertEquals(run.dir().resolve("problems/00002.safetensors"), run.tensorsFile(run.okEntries().get(1)));
    }

    @Test
    void manifestToleratesAnInterruptedAppendOnly() throws Exception {
        SyntheticRun s = new SyntheticRun();
        s.problems = 2;
        Path dir = s.write(tmp.resolve("r"));
        Path m = dir.resolve(RunLayout.MANIFEST);
        Files.writeString(m, "{\"index\": 2, \"id\": \"te", StandardOpenOption.APPEND);
        assertEquals(2, RunReader.open(dir).manifest().size());
        Files.writeString(m, "\n{\"index\": 3}\n", StandardOpenOption.APPEND);
        MipeaksException e = assertThrows(MipeaksException.class, () -> RunReader.open(dir));
        assertTrue(e.getMessage().contains("manifest.jsonl: line 3"), e.getMessage());
    }

    @Test
    void problemMustMatchItsManifestEntry() throws Exception {
        SyntheticRun s = new SyntheticRun();
        s.problems = 1;
        Path dir = s.write(tmp.resolve("r"));
        Path f = dir.resolve("problems/00000.json");
        Files.writeString(f, Files.readString(f).replace("\"id\":\"test/p0\"", "\"id\":\"other\""));
        RunData run = RunReader.open(dir);
        MipeaksException e = assertThrows(MipeaksException.class, () -> run.problem(run.okEntries().get(0)));
        assertTrue(e.getMessage().contains("00000.json: field 'id' is \"other\" but the manifest says \"test/p0\""),
                e.getMessage());
    }

    @Test
    void configErrorsNameTheField() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("c"));
        Files.writeString(dir.resolve(RunLayout.CONFIG), "{\"model\": \"m\", \"estimator\": \"nhsic\"}");
        MipeaksException e = assertThrows(MipeaksException.class, () -> RunReader.open(dir));
        assertTrue(e.getMessage().endsWith("config.json: field 'layers' is missing"), e.getMessage());
        Files.writeString(dir.resolve(RunLayout.CONFIG), "{\"model\": \"m\", \"estimator\": \"nhsic\", \"layers\": []}");
        e = assertThrows(MipeaksException.class, () -> RunReader.open(dir));
        assertTrue(e.getMessage().contains("'layers' is empty"), e.getMessage());
    }
}
