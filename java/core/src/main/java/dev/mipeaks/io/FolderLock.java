package dev.mipeaks.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The exclusive lock every command takes on a folder it writes (a run, a merge, a comparison, ...), so that two
 * processes never write one folder at once: {@value #FILE} in the folder, locked with
 * {@link FileChannel#tryLock()} and holding the holder's pid, command and start time.
 *
 * <p>A second process is refused at once (exit 2, naming the holder). The operating system drops the lock when
 * its process dies, so a lock file left by a killed process is simply taken over, with a note naming it. Within
 * one process the lock is reentrant for the thread that holds it (a run that writes its report holds its folder
 * once); another thread of the same process is refused like another process. Released (or at exit, Ctrl-C
 * included) the file is emptied, not deleted: deleting it would let a process that opened the old file and one
 * that creates a new one both lock "the" lock file.
 */
public final class FolderLock implements AutoCloseable {
    /** The lock file's name inside the locked folder. */
    public static final String FILE = ".mipeaks.lock";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Locks this process holds, by the folder's real path. */
    private static final Map<Path, Held> HELD = new HashMap<>();
    private static boolean exitHookAdded;

    private static final class Held {
        final Path file;
        final FileChannel channel;
        final FileLock lock;
        final Thread owner;
        final String command;
        int count = 1;

        Held(Path file, FileChannel channel, FileLock lock, Thread owner, String command) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
            this.owner = owner;
            this.command = command;
        }
    }

    private final Path key;
    private final Path dir;
    private boolean closed;

    private FolderLock(Path key, Path dir) {
        this.key = key;
        this.dir = dir;
    }

    /** The locked folder (as given). */
    public Path dir() {
        return dir;
    }

    /**
     * Creates {@code dir} if needed and locks it for {@code command} (e.g. "run"); notes about a taken-over stale
     * lock go to {@code err}.
     *
     * @throws MipeaksException exit 2 when another process (or another thread of this one) holds the folder, when
     *                          {@code dir} is a file, or when the lock file cannot be written
     */
    public static FolderLock acquire(Path dir, String command, PrintWriter err) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw MipeaksException.invalid(dir + ": exists and is not a folder");
        }
        Path key;
        try {
            Files.createDirectories(abs);
            key = abs.toRealPath();
        } catch (IOException e) {
            throw IoErrors.cannotWrite(dir, e);
        }
        synchronized (FolderLock.class) {
            Held h = HELD.get(key);
            if (h != null) {
                if (h.owner == Thread.currentThread()) {
                    h.count++;
                    return new FolderLock(key, dir);
                }
                throw inUse(dir, "this process's 'mipeaks " + h.command + "' in thread " + h.owner.getName());
            }
            Path file = key.resolve(FILE);
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw IoErrors.cannotWrite(file, e);
            }
            boolean ok = false;
            try {
                FileLock lock;
                boolean unprotected = false;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // held through another channel of this process
                } catch (IOException e) {
                    // e.g. a network file system without locks: go on unprotected rather than refuse to work
                    err.println("mipeaks: warning: " + file + ": cannot lock (" + IoErrors.reason(e) + "); nothing "
                            + "stops a second process from writing " + dir + " at the same time");
                    err.flush();
                    lock = null;
                    unprotected = true;
                }
                if (lock == null && !unprotected) {
                    throw inUse(dir, "another mipeaks process: " + holder(read(ch)));
                }
                String previous = read(ch);
                if (!previous.isBlank()) {
                    err.println("mipeaks: note: " + dir + ": took over the lock of " + holder(previous) + " ("
                            + (alive(previous) ? "a process with that pid runs but does not hold the lock"
                            : "that process is no longer running") + ")");
                    err.flush();
                }
                write(ch, content(command));
                HELD.put(key, new Held(file, ch, lock, Thread.currentThread(), command));
                addExitHook();
                ok = true;
                return new FolderLock(key, dir);
            } catch (IOException e) {
                throw IoErrors.cannotWrite(file, e);
            } finally {
                if (!ok) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // refusing anyway
                    }
                }
            }
        }
    }

    /** As {@link #acquire}, for a folder that must exist already (a run that a command adds files to). */
    public static FolderLock acquireExisting(Path dir, String command, PrintWriter err) {
        if (!Files.exists(dir)) {
            throw MipeaksException.invalid(dir + ": no such folder");
        }
        return acquire(dir, command, err);
    }

    /** Releases this hold; the last hold of the folder empties the lock file and unlocks it. */
    @Override
    public void close() {
        synchronized (FolderLock.class) {
            if (closed) {
                return;
            }
            closed = true;
            Held h = HELD.get(key);
            if (h == null || --h.count > 0) {
                return;
            }
            HELD.remove(key);
            release(h);
        }
    }

    private static void release(Held h) {
        try {
            h.channel.truncate(0);
            h.channel.force(true);
        } catch (IOException ignored) {
            // a leftover holder line only makes the next process print a note
        }
        try {
            if (h.lock != null) {
                h.lock.release();
            }
            h.channel.close();
        } catch (IOException ignored) {
            // closing the channel (or exiting) releases the lock anyway
        }
    }

    /** At exit (Ctrl-C included), empty the lock files still held: the next run finds them released. */
    private static void addExitHook() {
        if (exitHookAdded) {
            return;
        }
        exitHookAdded = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (FolderLock.class) {
                for (Held h : HELD.values()) {
                    try {
                        h.channel.truncate(0);
                    } catch (IOException ignored) {
                        // the process ends: the lock goes with it
                    }
                }
            }
        }, "mipeaks-folder-locks"));
    }

    private static MipeaksException inUse(Path dir, String holder) {
        return MipeaksException.invalid(dir + ": in use by " + holder + "; wait for it to finish, or use another "
                + "output folder");
    }

    private static String content(String command) {
        ObjectNode o = JSON.createObjectNode();
        o.put("pid", ProcessHandle.current().pid());
        o.put("command", "mipeaks " + command);
        o.put("started", Instant.now().toString());
        return o + "\n";
    }

    /** "pid 123, 'mipeaks run', started 2026-...": from the lock file's content (as much as it holds). */
    static String holder(String content) {
        if (content.isBlank()) {
            return "pid unknown (its lock file is empty)";
        }
        try {
            JsonNode n = JSON.readTree(content);
            return "pid " + n.path("pid").asText("?") + ", '" + n.path("command").asText("?") + "', started "
                    + n.path("started").asText("?");
        } catch (IOException e) {
            return "lock file content '" + content.strip() + "'";
        }
    }

    private static boolean alive(String content) {
        try {
            long pid = JSON.readTree(content).path("pid").asLong(-1);
            return pid > 0 && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                    .orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(FileChannel ch) throws IOException {
        long size = Math.min(ch.size(), 1 << 16);
        ByteBuffer b = ByteBuffer.allocate((int) size);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // fill
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    private static void write(FileChannel ch, String text) throws IOException {
        ch.truncate(0);
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        long pos = 0;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
        ch.force(true);
    }
}
