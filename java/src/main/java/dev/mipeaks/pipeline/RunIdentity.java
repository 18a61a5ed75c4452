package dev.mipeaks.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.io.AtomicFiles;
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
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * config.json of a pipeline run: the fields RunReader reads (model, dataset, layers, estimator, params,
 * max_new_tokens, prompt_template, created) and the rest of what decides a problem's files. Every field except
 * {@code created}, the slice ({@code offset}, {@code limit}) and, for merging, {@code shard} is the run's identity: resuming into a folder whose config
 * differs, or merging shards whose configs differ, is an error naming the first differing field.
 */
public final class RunIdentity {
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The slice of the dataset the latest run into the folder asked for ({@code --offset}, {@code --limit}). Not part
     * of the identity: a problem's files are keyed by its dataset index, so a folder can grow (a larger --limit) or
     * take another slice, and the manifest lists which problems are done.
     */
    static final Set<String> SLICE = Set.of("offset", "limit");

    /** Fields that are not part of the identity. */
    static final Set<String> NOT_IDENTITY = Set.of("created", "offset", "limit");

    private RunIdentity() {
    }

    /** Reads config.json of {@code dir}, or null when there is none. */
    public static ObjectNode read(Path dir) {
        Path f = dir.resolve(RunLayout.CONFIG);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            if (!(n instanceof ObjectNode o)) {
                throw MipeaksException.invalid(f + ": expected a JSON object");
            }
            return o;
        } catch (IOException e) {
            throw MipeaksException.invalid(f + ": cannot read (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    public static void write(Path dir, ObjectNode config) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(RunLayout.CONFIG),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n");
    }

    /**
     * The first identity field whose value differs between {@code have} (a folder's config) and {@code want}, or
     * null when they agree; {@code ignore} lists further fields to leave out.
     */
    public static String firstDifference(ObjectNode have, ObjectNode want, Set<String> ignore) {
        Set<String> names = new java.util.LinkedHashSet<>();
        want.fieldNames().forEachRemaining(names::add);
        have.fieldNames().forEachRemaining(names::add);
        for (String k : names) {
            if (NOT_IDENTITY.contains(k) || ignore.contains(k)) {
                continue;
            }
            if (!same(have.get(k), want.get(k))) {
                return k;
            }
        }
        return null;
    }

    /**
     * {@code have} with the slice fields of {@code want} when they differ (the folder grew or took another slice),
     * else null.
     */
    static ObjectNode withSliceOf(ObjectNode have, ObjectNode want) {
        boolean differs = false;
        for (String k : SLICE) {
            differs |= !same(have.get(k), want.get(k));
        }
        if (!differs) {
            return null;
        }
        ObjectNode updated = have.deepCopy();
        for (String k : SLICE) {
            if (want.has(k)) {
                updated.set(k, want.get(k));
            } else {
                updated.remove(k);
            }
        }
        return updated;
    }

    /** Equal as JSON values, where a missing field equals null and numbers compare by value (50 == 50.0). */
    static boolean same(JsonNode a, JsonNode b) {
        boolean an = a == null || a.isNull();
        boolean bn = b == null || b.isNull();
        if (an || bn) {
            return an && bn;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!same(a.get(k), b.get(k))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** "24" or "\"f32\"" or "absent": a field value for error messages (shortened). */
    static String show(JsonNode n) {
        if (n == null || n.isNull()) {
            return "absent";
        }
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /**
     * A cheap fingerprint of a model folder: sha-256 over config.json, the tokenizer files and, for each weight
     * file, its name, size and safetensors header (names, dtypes, shapes and offsets of every tensor). Hashing
     * the weights themselves would read a 16 GB checkpoint at every start.
     */
    public static String modelFingerprint(Path dir) {
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
    public static String sha256(Path file) {
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
