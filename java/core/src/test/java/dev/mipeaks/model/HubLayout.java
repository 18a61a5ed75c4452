package dev.mipeaks.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds a Hugging Face hub cache the way huggingface_hub lays one out, for tests: {@code models--org--name/}
 * with {@code blobs/<sha256>} (the file contents), {@code snapshots/<commit>/<file>} as relative symbolic links into
 * blobs/, and {@code refs/<revision>} holding the commit hash.
 */
public final class HubLayout {
    private HubLayout() {
    }

    /** A commit hash made from a label (40 hex digits). */
    public static String commit(String label) {
        return sha(label.getBytes(StandardCharsets.UTF_8)).substring(0, 40);
    }

    /**
     * Adds the files of {@code model} (a model folder) to the cache as snapshot {@code commit} of {@code id} and
     * points {@code refs/<revision>} at it (revision null: no ref). Returns the snapshot folder.
     */
    public static Path add(Path cache, String id, String revision, String commit, Path model) throws IOException {
        Path repo = cache.resolve("models--" + id.replace("/", "--"));
        Path blobs = repo.resolve("blobs");
        Path snap = repo.resolve("snapshots").resolve(commit);
        Files.createDirectories(blobs);
        Files.createDirectories(snap);
        List<Path> files;
        try (Stream<Path> s = Files.list(model)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            String sha = sha(b);
            Path blob = blobs.resolve(sha);
            if (!Files.exists(blob)) {
                Files.write(blob, b);
            }
            Path link = snap.resolve(f.getFileName().toString());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of("..", "..", "blobs", sha));
        }
        if (revision != null) {
            Path ref = repo.resolve("refs").resolve(revision);
            Files.createDirectories(ref.getParent());
            Files.writeString(ref, commit); // huggingface_hub writes the hash without a newline
        }
        return snap;
    }

    private static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
