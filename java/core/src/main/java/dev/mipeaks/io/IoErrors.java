package dev.mipeaks.io;

import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * I/O failures as one line for the user: the path and what went wrong (a full disk, a read-only or missing
 * folder, a permission), an exit-2 error rather than "internal error: java.nio...".
 */
public final class IoErrors {
    /** The exceptions a user meets most, in their own words (the classes are disjoint: order does not matter). */
    private static final List<Map.Entry<Class<? extends IOException>, String>> REASONS = List.of(
            Map.entry(AccessDeniedException.class, "permission denied"),
            Map.entry(NoSuchFileException.class, "no such file or folder"),
            Map.entry(FileAlreadyExistsException.class, "already exists"),
            Map.entry(DirectoryNotEmptyException.class, "a folder that is not empty is in the way"),
            Map.entry(NotDirectoryException.class, "not a folder"),
            Map.entry(CharacterCodingException.class, "not UTF-8 text"));

    private IoErrors() {
    }

    /** What went wrong, without the path: "permission denied", "No space left on device", ... */
    public static String reason(IOException e) {
        for (Map.Entry<Class<? extends IOException>, String> r : REASONS) {
            if (r.getKey().isInstance(e)) {
                return r.getValue();
            }
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** "PATH: reason" when the exception names a path, else "I/O error: reason". */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() != null ? " (with " + f.getOtherFile() + ")" : "") + ": " + reason(e);
        }
        return "I/O error: " + reason(e);
    }

    /** An exit-2 error for a failed write of {@code path}: "PATH: cannot write (reason)". */
    public static MipeaksException cannotWrite(Path path, IOException e) {
        String r = reason(e);
        if (e instanceof FileAlreadyExistsException f && f.getFile() != null && !Files.isDirectory(Path.of(f.getFile()))) {
            // from creating the folders above path: one of them is a file
            return MipeaksException.invalid(path + ": cannot write (" + f.getFile() + " is a file, not a folder)", e);
        }
        if (e instanceof FileSystemException f && f.getFile() != null && !sameFolder(f.getFile(), path)) {
            r = f.getFile() + ": " + r; // another file failed (e.g. a spill being copied in)
        }
        return MipeaksException.invalid(path + ": cannot write (" + r + ")", e);
    }

    /** Whether {@code file} is {@code path} or a sibling of it (its temporary file). */
    private static boolean sameFolder(String file, Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path f = Path.of(file).toAbsolutePath().normalize();
        return f.equals(abs) || java.util.Objects.equals(f.getParent(), abs.getParent());
    }
}
