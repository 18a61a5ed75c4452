package dev.mipeaks.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary files (trajectory spills, atomic-write temporaries) that must not outlive the process on any exit path:
 * the code that makes one deletes it in a finally block, and a JVM shutdown hook deletes whatever is still registered
 * when the JVM exits another way (Ctrl-C, SIGTERM, System.exit while a write is in flight). A process killed with
 * SIGKILL (e.g. by the kernel's OOM killer) runs no hook: names carry the process id ({@link #pidTag()}), so the
 * next writer to the same place deletes the files of processes that no longer exist ({@link #deleteStale}).
 */
public final class TempFiles {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static final Pattern PID = Pattern.compile("\\.pid(\\d+)\\.");
    private static boolean hooked;

    private TempFiles() {
    }

    /** Registers {@code file} for deletion at JVM exit (until {@link #forget} or {@link #delete}); returns it. */
    public static Path register(Path file) {
        installHook();
        LIVE.add(file.toAbsolutePath());
        return file;
    }

    /** The file is no longer temporary (it was renamed into place or deleted by its owner). */
    public static void forget(Path file) {
        LIVE.remove(file.toAbsolutePath());
    }

    /** Deletes {@code file} (if it exists) and forgets it; failures are ignored (a hidden leftover is harmless). */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing better to do
        }
        forget(file);
    }

    /** The files registered now (tests). */
    static List<Path> live() {
        return List.copyOf(LIVE);
    }

    /** What the shutdown hook does: deletes every registered file. */
    static void deleteAll() {
        for (Path p : List.copyOf(LIVE)) {
            delete(p);
        }
    }

    private static synchronized void installHook() {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::deleteAll, "mipeaks-temp-files"));
            hooked = true;
        }
    }

    /** {@code pid<N>}: a name part that tells {@link #deleteStale} which process owns a file. */
    public static String pidTag() {
        return "pid" + ProcessHandle.current().pid();
    }

    /**
     * Deletes the files of {@code dir} whose names start with {@code prefix}, end with {@code suffix} and carry the
     * {@link #pidTag()} of a process that is not running (left by a killed process); returns how many.
     */
    public static int deleteStale(Path dir, String prefix, String suffix) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix) || !name.endsWith(suffix)) {
                    continue;
                }
                Matcher m = PID.matcher(name.substring(prefix.length()));
                if (!m.find()) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                // this process's own files are its writers' business; a running process's too
                if (pid == ProcessHandle.current().pid()
                        || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                try {
                    if (Files.deleteIfExists(p)) {
                        n++;
                    }
                } catch (IOException ignored) {
                    // left for the next one
                }
            }
        } catch (IOException ignored) {
            // nothing to clean
        }
        return n;
    }
}
