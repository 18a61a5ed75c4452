package dev.mipeaks.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader (or a resumed run after a crash) sees either the old file or the complete new one:
 * write to a temporary sibling, fsync, then rename over the target. The new file gets the mode an ordinary create
 * gives (0666 less the umask), or the mode of the file it replaces.
 *
 * <p>Also the one append-and-fsync of the resumable JSONL files. A failed write (a full disk, a read-only or
 * missing folder) is an exit-2 error naming the file ({@link IoErrors#cannotWrite}).
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        boolean ok = false;
        try {
            if (Files.isDirectory(abs)) {
                throw IoErrors.cannotWrite(target, new IOException("it is a folder"));
            }
            if (dir != null) {
                Files.createDirectories(dir);
            }
            tmp = TempFiles.register(createSibling(abs));
            copyMode(abs, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 20)) {
                body.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            ok = true;
        } catch (IOException e) {
            throw IoErrors.cannotWrite(target, e);
        } finally {
            if (ok) {
                TempFiles.forget(tmp);
            } else if (tmp != null) {
                // the write error is the one to report; a hidden .tmp sibling left by a failed delete is harmless
                TempFiles.delete(tmp);
            }
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /**
     * Appends {@code bytes} with one write and forces them to disk (creating the file and its folder if needed):
     * the commit point of the resumable JSONL files. A crash leaves at most a torn last line.
     */
    public static void append(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
        } catch (IOException e) {
            throw IoErrors.cannotWrite(file, e);
        }
    }

    /** Cuts {@code file} to {@code size} bytes (dropping a torn last line) and forces it to disk. */
    public static void truncate(Path file, long size) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        } catch (IOException e) {
            throw IoErrors.cannotWrite(file, e);
        }
    }

    /**
     * A new empty hidden sibling ".NAME.RANDOM.tmp", created as an ordinary file is (mode 0666 less the umask;
     * {@code Files.createTempFile} would make it 0600).
     */
    private static Path createSibling(Path abs) throws IOException {
        while (true) {
            Path tmp = abs.resolveSibling("." + abs.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException taken) {
                // another name
            }
        }
    }

    /** When {@code target} exists, gives {@code tmp} its permissions (the replacement keeps the file's mode). */
    private static void copyMode(Path target, Path tmp) throws IOException {
        PosixFileAttributeView from = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        PosixFileAttributeView to = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (from == null || to == null || !Files.isRegularFile(target)) {
            return;
        }
        to.setPermissions(from.readAttributes().permissions());
    }
}
