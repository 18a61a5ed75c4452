package dev.mipeaks.scaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A resumable run folder: {@code config.json} (every setting that decides the results) and {@code results.jsonl}
 * (one finished unit of work per line).
 *
 * <p>A unit is finished once its line is on disk: the line is written with one append and fsynced. A crash can leave
 * at most a torn last line (no newline, or not JSON); opening the folder cuts it off, so the unit runs again. Opening
 * a folder whose config.json differs from this run's configuration is an exit-2 error naming the first differing
 * field; config fields under {@link #INFO} (dates, limits, command line) are informational and never compared.
 */
public final class RunFolder {
    public static final String CONFIG = "config.json";
    public static final String RESULTS = "results.jsonl";
    public static final String METRICS = "metrics.json";
    public static final String REPORT = "report.md";
    /** The config.json field that holds informational values (not compared on resume). */
    public static final String INFO = "run_info";

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<JsonNode> finished;

    private RunFolder(Path dir, List<JsonNode> finished) {
        this.dir = dir;
        this.finished = finished;
    }

    /**
     * Opens (creating if needed) {@code dir} for a run with {@code config}; checks an existing config.json against it
     * and reads the finished lines. A torn last line is cut off with a note on {@code err}.
     */
    public static RunFolder open(Path dir, ObjectNode config, PrintWriter err) throws IOException {
        Path cfg = dir.resolve(CONFIG);
        Path results = dir.resolve(RESULTS);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw MipeaksException.invalid("--out " + dir + ": exists and is not a folder");
        }
        if (Files.isRegularFile(cfg)) {
            JsonNode old;
            try {
                old = JSON.readTree(cfg.toFile());
            } catch (JsonProcessingException e) {
                throw MipeaksException.invalid(cfg + ": invalid JSON: " + e.getOriginalMessage());
            }
            String diff = firstDifference(old, config);
            if (diff != null) {
                throw MipeaksException.invalid(cfg + ": " + diff
                        + " (this folder holds a run with another configuration; use another --out)");
            }
        } else {
            if (Files.isRegularFile(results) && Files.size(results) > 0) {
                throw MipeaksException.invalid(results + ": results without " + CONFIG + " (not a run folder of this "
                        + "command; use another --out)");
            }
            Files.createDirectories(dir);
            AtomicFiles.writeString(cfg, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n");
        }
        return new RunFolder(dir, readFinished(results, err));
    }

    /** The first field (besides {@link #INFO}) whose value differs between the stored and the new config, or null. */
    static String firstDifference(JsonNode stored, JsonNode now) {
        TreeSet<String> names = new TreeSet<>();
        stored.fieldNames().forEachRemaining(names::add);
        now.fieldNames().forEachRemaining(names::add);
        names.remove(INFO);
        // a fixed order (alphabetical) so the error names the same field every time
        for (String f : names) {
            JsonNode a = stored.get(f);
            JsonNode b = now.get(f);
            // compared as text: 0 read back from a file (int) equals 0 written as a long
            String sa = a == null ? "(absent)" : a.toString();
            String sb = b == null ? "(absent)" : b.toString();
            if (!sa.equals(sb)) {
                return "field '" + f + "' is " + abbreviate(sa) + " in the run folder but " + abbreviate(sb) + " now";
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    private static List<JsonNode> readFinished(Path results, PrintWriter err) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isRegularFile(results)) {
            return out;
        }
        byte[] all = Files.readAllBytes(results);
        int start = 0;
        long line = 0;
        while (start < all.length) {
            int nl = start;
            while (nl < all.length && all[nl] != '\n') {
                nl++;
            }
            line++;
            boolean complete = nl < all.length;
            String s = new String(all, start, nl - start, StandardCharsets.UTF_8);
            JsonNode node = null;
            if (!s.isBlank()) {
                try {
                    node = JSON.readTree(s);
                } catch (JsonProcessingException e) {
                    node = null;
                }
                if (node == null || !node.isObject()) {
                    if (complete && !isLastLine(all, nl)) {
                        throw MipeaksException.invalid(results + ":" + line + ": not a JSON object (a damaged results "
                                + "file; remove the line or use another --out)");
                    }
                    complete = false; // a torn tail
                }
            }
            if (!complete) {
                truncate(results, start);
                err.println("mipeaks: note: " + results + ":" + line + ": dropped an incomplete last line (an interrupted "
                        + "write); that item runs again");
                err.flush();
                break;
            }
            if (node != null) {
                out.add(node);
            }
            start = nl + 1;
        }
        return out;
    }

    private static boolean isLastLine(byte[] all, int nl) {
        for (int i = nl + 1; i < all.length; i++) {
            if (!Character.isWhitespace(all[i])) {
                return false;
            }
        }
        return true;
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Lines finished before this run plus those appended by it, in file order. */
    public synchronized List<JsonNode> finished() {
        return List.copyOf(finished);
    }

    /** Appends one line (a single write, then fsync): the unit it describes is finished. */
    public synchronized void append(ObjectNode line) throws IOException {
        byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(dir.resolve(RESULTS), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        finished.add(line);
    }

    /** Writes a file of the folder atomically. */
    public void writeJson(String name, Object value) throws IOException {
        AtomicFiles.writeString(dir.resolve(name), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n");
    }

    public void writeText(String name, String text) throws IOException {
        AtomicFiles.writeString(dir.resolve(name), text);
    }
}
