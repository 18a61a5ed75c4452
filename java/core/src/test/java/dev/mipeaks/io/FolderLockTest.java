package dev.mipeaks.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder lock in one process (two processes: dev.mipeaks.pipeline.RunLockTest). */
class FolderLockTest {
    @TempDir
    Path tmp;

    private final StringWriter errText = new StringWriter();
    private final PrintWriter err = new PrintWriter(errText, true);

    @Test
    void holdsPidCommandAndStartAndIsEmptiedOnRelease() throws Exception {
        Path dir = tmp.resolve("new/run");
        try (FolderLock lock = FolderLock.acquire(dir, "run", err)) {
            String content = Files.readString(dir.resolve(FolderLock.FILE));
            assertTrue(content.contains("\"pid\":" + ProcessHandle.current().pid()), content);
            assertTrue(content.contains("\"command\":\"mipeaks run\"") && content.contains("\"started\":\""), content);
            // reentrant for the holding thread (a run writing its report)
            try (FolderLock again = FolderLock.acquire(dir, "peaks", err)) {
                assertEquals(dir, again.dir());
            }
            assertFalse(Files.readString(dir.resolve(FolderLock.FILE)).isEmpty(), "still held by the outer hold");
        }
        assertEquals("", Files.readString(dir.resolve(FolderLock.FILE)), "released: emptied");
        assertEquals("", errText.toString());
    }

    @Test
    void anotherWriterIsRefusedNamingTheHolder() throws Exception {
        Path dir = tmp.resolve("run");
        try (FolderLock lock = FolderLock.acquire(dir, "rr", err)) {
            MipeaksException e = CompletableFuture.supplyAsync(() -> assertThrows(MipeaksException.class,
                    () -> FolderLock.acquire(dir, "rr", err))).get(30, TimeUnit.SECONDS);
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
            assertTrue(e.getMessage().startsWith(dir + ": in use by ") && e.getMessage().contains("'mipeaks rr'"),
                    e.getMessage());
        }
        // free again: another thread takes it
        CompletableFuture.runAsync(() -> FolderLock.acquire(dir, "rr", err).close()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aStaleLockOfADeadProcessIsTakenOverWithANote() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(FolderLock.FILE), "{\"pid\":" + gone.pid()
                + ",\"command\":\"mipeaks run\",\"started\":\"2026-01-01T00:00:00Z\"}\n");
        try (FolderLock lock = FolderLock.acquire(dir, "run", err)) {
            assertTrue(Files.readString(dir.resolve(FolderLock.FILE)).contains("\"pid\":" + ProcessHandle.current().pid()));
        }
        assertTrue(errText.toString().contains("took over the lock of pid " + gone.pid() + ", 'mipeaks run', started "
                + "2026-01-01T00:00:00Z (that process is no longer running)"), errText.toString());
    }

    @Test
    void aFileIsNotAFolderToLock() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        MipeaksException e = assertThrows(MipeaksException.class, () -> FolderLock.acquire(file, "run", err));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("exists and is not a folder"), e.getMessage());
        e = assertThrows(MipeaksException.class, () -> FolderLock.acquireExisting(tmp.resolve("none"), "peaks", err));
        assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("none")), "not created");
    }
}
