package dev.mipeaks.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes (modes, failures), strict UTF-8 input, and the output checks of {@link OutputPaths}. */
class OutputSafetyTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewFileGetsTheModeOfAnOrdinaryCreate() throws Exception {
        Path reference = Files.createFile(tmp.resolve("reference")); // 0666 less this process's umask
        Path f = tmp.resolve("out.json");
        AtomicFiles.writeString(f, "{}\n");
        assertEquals(mode(reference), mode(f), "not the 0600 of a temporary file");
    }

    @Test
    void aReplacedFileKeepsItsMode() throws Exception {
        Path f = tmp.resolve("out.json");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.writeString(f, "new");
        assertEquals("new", Files.readString(f));
        assertEquals("rw-r-----", mode(f));
    }

    @Test
    void aFailedWriteNamesTheFileAndLeavesTheOldOne() throws Exception {
        Path f = tmp.resolve("out.jsonl");
        Files.writeString(f, "old");
        MipeaksException e = assertThrows(MipeaksException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw new IOException("No space left on device");
        }));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertEquals(f + ": cannot write (No space left on device)", e.getMessage());
        assertEquals("old", Files.readString(f));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(f), s.toList(), "no temporary left");
        }
        Path dir = Files.createDirectories(tmp.resolve("folder"));
        e = assertThrows(MipeaksException.class, () -> AtomicFiles.writeString(dir, "x"));
        assertTrue(e.getMessage().contains("it is a folder"), e.getMessage());
        Path under = tmp.resolve("out.jsonl/x.json");
        e = assertThrows(MipeaksException.class, () -> AtomicFiles.writeString(under, "x"));
        assertTrue(e.getMessage().startsWith(under + ": cannot write (") && e.getMessage().contains("is a file"),
                e.getMessage());
        e = assertThrows(MipeaksException.class, () -> AtomicFiles.append(under, new byte[] {1}));
        assertTrue(e.getMessage().startsWith(under + ": cannot write ("), e.getMessage());
    }

    @Test
    void textThatIsNotUtf8NamesFileLineAndByte() throws Exception {
        Path f = tmp.resolve("data.jsonl");
        byte[] good = "{\"a\": \"caf\u00e9 \u2713\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 'a', '"', ':', ' ', '"', 'c', 'a', 'f', (byte) 0xe9, '"', '}', '\n'};
        Files.write(f, concat(good, good, bad));
        MipeaksException e = assertThrows(MipeaksException.class, () -> TextFiles.readUtf8(f));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertEquals(f + ":3: not UTF-8 text (byte 0xE9 at byte 11 of the line); save the file as UTF-8", e.getMessage());
        Files.write(f, concat(good, good));
        assertEquals(List.of("{\"a\": \"caf\u00e9 \u2713\"}", "{\"a\": \"caf\u00e9 \u2713\"}"), TextFiles.readLines(f));
        // a multi-byte character cut at the end of the file is not UTF-8 either
        Files.write(f, concat(good, new byte[] {(byte) 0xe2, (byte) 0x9c}));
        assertTrue(assertThrows(MipeaksException.class, () -> TextFiles.readUtf8(f)).getMessage().startsWith(f + ":2: "));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void anOutputIsNeverAnInput() throws Exception {
        Path in = Files.writeString(tmp.resolve("pairs.safetensors"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link.safetensors"), in);
        for (Path out : List.of(in, tmp.resolve("./pairs.safetensors"), tmp.resolve("sub/../pairs.safetensors"), link)) {
            MipeaksException e = assertThrows(MipeaksException.class,
                    () -> OutputPaths.requireFile("--out", out, Map.of(in, "--pairs")));
            assertEquals("--out " + out + ": is an input (--pairs " + in + "); writing it would destroy it: give "
                    + "another --out", e.getMessage());
        }
        assertDoesNotThrow(() -> OutputPaths.requireFile("--out", tmp.resolve("new.jsonl"), Map.of(in, "--pairs")));
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        assertTrue(assertThrows(MipeaksException.class, () -> OutputPaths.requireFile("--out", dir, Map.of()))
                .getMessage().contains("is a folder"));
    }

    @Test
    void aForeignFolderIsRefusedUnlessForced() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        assertDoesNotThrow(() -> OutputPaths.requireFolder("--out", dir, false, "a run folder", "config.json"));
        assertDoesNotThrow(() -> OutputPaths.requireFolder("--out", tmp.resolve("new"), false, "a run", "config.json"));
        // our lock file and an interrupted write's temporary do not make it foreign
        Files.writeString(dir.resolve(FolderLock.FILE), "");
        Files.writeString(dir.resolve(".config.json.x1y2.tmp"), "");
        assertDoesNotThrow(() -> OutputPaths.requireFolder("--out", dir, false, "a run folder", "config.json"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        MipeaksException e = assertThrows(MipeaksException.class,
                () -> OutputPaths.requireFolder("--out", dir, false, "a run folder", "config.json"));
        assertEquals("--out " + dir + ": a non-empty folder (1 entry, e.g. 'notes.txt') without config.json, so not a "
                + "run folder; use a new or empty folder, or --force to write into it anyway", e.getMessage());
        assertDoesNotThrow(() -> OutputPaths.requireFolder("--out", dir, true, "a run folder", "config.json"));
        Files.writeString(dir.resolve("config.json"), "{}");
        assertDoesNotThrow(() -> OutputPaths.requireFolder("--out", dir, false, "a run folder", "config.json"));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertTrue(assertThrows(MipeaksException.class, () -> OutputPaths.requireFolder("--out", file, true, "a run",
                "config.json")).getMessage().contains("exists and is not a folder"));
        assertFalse(Files.exists(tmp.resolve("new")), "checks create nothing");
    }
}
