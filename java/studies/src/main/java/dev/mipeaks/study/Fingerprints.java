package dev.mipeaks.study;

import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Fingerprints of a run's inputs for its config.json identity: a model folder, a dataset file. */
public final class Fingerprints {
    private Fingerprints() {
    }

    /**
     * A cheap fingerprint of a model folder: sha-256 over config.json, the tokenizer files and, for each weight
     * file, its name, size and safetensors header (names, dtypes, shapes and offsets of every tensor). Hashing
     * the weights themselves would read a 16 GB checkpoint at every start.
     */
    public static String model(Path dir) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String name : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
                Path f = dir.resolve(name);
                md.update(name.getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(f)) {
                    md.update(Files.readAllBytes(f));
                }
            }
            List<Path> weights;
            try (Stream<Path> s = Files.list(dir)) {
                weights = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
            }
            for (Path w : weights) {
                md.update(w.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                long size = Files.size(w);
                md.update(Long.toString(size).getBytes(StandardCharsets.UTF_8));
                try (FileChannel ch = FileChannel.open(w)) {
                    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                    ch.read(len, 0);
                    long n = len.flip().remaining() == 8 ? len.getLong() : 0;
                    n = Math.max(0, Math.min(n, Math.min(size - 8, 100L << 20)));
                    ByteBuffer h = ByteBuffer.allocate((int) n);
                    ch.read(h, 8);
                    md.update(h.flip());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw MipeaksException.invalid(dir + ": cannot read model files (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** sha-256 of a file's bytes. */
    public static String file(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = in.read(b)) > 0) {
                md.update(b, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw MipeaksException.invalid(file + ": cannot read (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
