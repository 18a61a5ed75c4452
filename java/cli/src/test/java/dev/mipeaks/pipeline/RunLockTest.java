package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.CliProcess;
import dev.mipeaks.CliResult;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.io.FolderLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real processes on one run folder (issue #12 item 4): the second writer is refused naming the first, and the
 * lock of a killed process is taken over.
 */
class RunLockTest {
    static final int PROBLEMS = 10;

    @TempDir
    static Path tmp;

    static Path model;
    static Path data;
    /** Enough problems that a run of them outlasts the start of a second JVM by far (it is interrupted). */
    static Path many;

    static List<String> args(Path out, int maxNewTokens) {
        return args(data, out, maxNewTokens);
    }

    static List<String> args(Path dataset, Path out, int maxNewTokens) {
        return new ArrayList<>(List.of("run", "--model", model.toString(), "--dataset", dataset.toString(),
                "--max-new-tokens", Integer.toString(maxNewTokens), "--threads", "1", "--device", "cpu", "--no-report",
                "--out", out.toString()));
    }

    @BeforeAll
    static void demo() throws IOException {
        model = PipelineRuns.demoModel(tmp.resolve("model"));
        data = PipelineRuns.demoProblems(tmp.resolve("data/problems.jsonl"), PROBLEMS);
        many = PipelineRuns.demoProblems(tmp.resolve("data/many.jsonl"), 500);
    }

    /** Waits (at most 120 s) until process {@code p} holds {@code dir}'s lock. */
    static void awaitLock(Process p, Path dir, Path log) throws Exception {
        Path lock = dir.resolve(FolderLock.FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(lock) && Files.readString(lock).contains("\"pid\":" + p.pid() + ","))) {
            assertTrue(p.isAlive(), "ended before locking: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no lock within 120 s: " + Files.readString(log));
            Thread.sleep(10);
        }
    }

    @Test
    void aSecondWriterIsRefusedNamingTheFirst() throws Exception {
        Path out = tmp.resolve("shared-out");
        Path logA = tmp.resolve("a.log");
        Path logB = tmp.resolve("b.log");
        // as in the issue: two runs of different --max-new-tokens on one --out
        Process a = CliProcess.start(args(many, out, 64), logA);
        awaitLock(a, out, logA);
        Process b = CliProcess.start(args(many, out, 8), logB);
        assertTrue(b.waitFor(120, TimeUnit.SECONDS), "the second writer did not give up");
        String bText = Files.readString(logB);
        assertEquals(2, b.exitValue(), bText);
        assertTrue(bText.contains("mipeaks: error: " + out.toAbsolutePath().normalize() + ": in use by another mipeaks "
                + "process: pid " + a.pid() + ", 'mipeaks run', started "), bText);
        // the first one was still writing all along (it ends on the signal, not on its own); stop it
        CliProcess.interruptWhen(a, logA, "the refusal", () -> true);
        assertEquals(130, a.exitValue(), Files.readString(logA));
        assertTrue(Files.readString(out.resolve(RunLayout.CONFIG)).contains("\"max_new_tokens\" : 64"));
        assertEquals("", Files.readString(out.resolve(FolderLock.FILE)), "Ctrl-C releases the lock cleanly");
        List<String> manifest = Files.exists(out.resolve(RunLayout.MANIFEST))
                ? Files.readAllLines(out.resolve(RunLayout.MANIFEST)) : List.of();
        assertEquals(manifest.size(), manifest.stream().map(l -> l.replaceAll(",.*", "")).distinct().count(),
                "no problem twice: " + manifest);
        // and the same command resumes without a note about the lock
        Process c = CliProcess.start(args(many, out, 64), logB);
        awaitLock(c, out, logB);
        CliProcess.interruptWhen(c, logB, "the resumed run", () -> true);
        assertTrue(!Files.readString(logB).contains("took over"), Files.readString(logB));
    }

    @Test
    void theLockOfAKilledProcessIsTakenOver() throws Exception {
        Path out = tmp.resolve("killed-out");
        Path log = tmp.resolve("killed.log");
        Process p = CliProcess.start(args(out, 24), log);
        awaitLock(p, out, log);
        p.destroyForcibly(); // SIGKILL: no shutdown hook, the lock file keeps its holder
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(Files.readString(out.resolve(FolderLock.FILE)).contains("\"pid\":" + p.pid() + ","));

        CliResult r = CliResult.run(args(out, 24).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("mipeaks: note: " + out.toAbsolutePath().normalize() + ": took over the lock of pid "
                + p.pid() + ", 'mipeaks run', started "), r.err());
        assertTrue(r.err().contains("(that process is no longer running)"), r.err());
        assertEquals(PROBLEMS, Files.readAllLines(out.resolve(RunLayout.MANIFEST)).size());
        assertEquals("", Files.readString(out.resolve(FolderLock.FILE)));
    }
}
