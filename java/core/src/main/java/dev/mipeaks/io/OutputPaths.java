package dev.mipeaks.io;

import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The checks every command makes on its output before it writes anything, so that an output never destroys the
 * user's files: an output file is not one of the command's inputs and not a folder; an output folder is not a
 * file, not an input folder, and is either new, empty, or a folder of this command (it holds the command's marker
 * file, e.g. config.json) unless the user says {@code --force}.
 */
public final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * An output file: refused when it is an existing folder or the same file as one of {@code inputs} (each path
     * with what it is, e.g. "--pairs").
     */
    public static void requireFile(String option, Path out, Map<Path, String> inputs) {
        if (Files.isDirectory(out)) {
            throw MipeaksException.invalid(option + " " + out + ": is a folder (give a file name)");
        }
        requireNotInput(option, out, inputs);
    }

    /** Refused when {@code out} is the same file or folder as one of {@code inputs} (path to what it is). */
    public static void requireNotInput(String option, Path out, Map<Path, String> inputs) {
        for (Map.Entry<Path, String> in : inputs.entrySet()) {
            if (in.getKey() != null && same(out, in.getKey())) {
                throw MipeaksException.invalid(option + " " + out + ": is an input (" + in.getValue() + " "
                        + in.getKey() + "); writing it would destroy it: give another " + option);
            }
        }
    }

    /**
     * An output folder: refused when it is a file, or a non-empty folder that holds none of {@code markers} (the
     * files by which the command recognises a folder it wrote, e.g. config.json) and {@code force} is false.
     * The lock file and hidden temporary files do not count.
     */
    public static void requireFolder(String option, Path dir, boolean force, String what, String... markers) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw MipeaksException.invalid(option + " " + dir + ": exists and is not a folder");
        }
        if (force || !Files.isDirectory(dir)) {
            return;
        }
        for (String m : markers) {
            if (Files.exists(dir.resolve(m))) {
                return;
            }
        }
        List<String> foreign = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> !ours(n)).sorted().forEach(foreign::add);
        } catch (IOException e) {
            throw MipeaksException.invalid(dir + ": cannot list (" + IoErrors.reason(e) + ")", e);
        }
        if (!foreign.isEmpty()) {
            throw MipeaksException.invalid(option + " " + dir + ": a non-empty folder (" + foreign.size() + " "
                    + (foreign.size() == 1 ? "entry" : "entries") + ", e.g. '" + foreign.get(0) + "') without "
                    + String.join(" or ", markers) + ", so not " + what + "; use a new or empty folder, or --force to "
                    + "write into it anyway");
        }
    }

    /** The lock file and our hidden temporaries (".NAME.RANDOM.tmp") left by an interrupted write. */
    private static boolean ours(String name) {
        return name.equals(FolderLock.FILE) || (name.startsWith(".") && name.endsWith(".tmp"));
    }

    /** Whether two paths name the same file or folder (links resolved when both exist). */
    public static boolean same(Path a, Path b) {
        Path x = a.toAbsolutePath().normalize();
        Path y = b.toAbsolutePath().normalize();
        if (x.equals(y)) {
            return true;
        }
        if (Files.exists(x) && Files.exists(y)) {
            try {
                return Files.isSameFile(x, y);
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }
}
