package dev.mipeaks.scaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.io.FolderLock;
import dev.mipeaks.io.OutputPaths;
import dev.mipeaks.io.TextFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
public final class RunFolder implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String RESULTS = "results.jsonl";
    public static final String METRICS = "metrics.json";
    public static final String REPORT = "report.md";
    /** The config.json field that holds informational values (not compared on resume). */
    public static final String INFO = "run_info";

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<JsonNode> finished;
    private final FolderLock lock;

    private RunFolder(Path dir, List<JsonNode> finished, FolderLock lock) {
        this.dir = dir;
        this.finished = finished;
        this.lock = lock;
    }

    /** {@link #open(Path, ObjectNode, boolean, PrintWriter)} without --force. */
    public static RunFolder open(Path dir, ObjectNode config, PrintWriter err) throws IOException {
        return open(dir, config, false, err);
    }

    /**
     * Opens (creating if needed) {@code dir} for a run with {@code config} and locks it ({@link FolderLock}, until
     * {@link #close}); checks an existing config.json against it and reads the finished lines. A torn last line is
     * cut off with a note on {@code err}. A non-empty folder without config.json is refused unless {@code force}.
     */
    public static RunFolder open(Path dir, ObjectNode config, boolean force, PrintWriter err) throws IOException {
        Path cfg = dir.resolve(CONFIG);
        Path results = dir.resolve(RESULTS);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw MipeaksException.invalid("--out " + dir + ": exists and is not a folder");
        }
        if (!Files.isRegularFile(cfg) && Files.isRegularFile(results) && Files.size(results) > 0) {
            throw MipeaksException.invalid(results + ": results without " + CONFIG + " (not a run folder of this "
                    + "command; use another --out)");
        }
        OutputPaths.requireFolder("--out", dir, force, "a run folder of mipeaks " + config.path("command").asText("rr"),
                CONFIG);
        FolderLock lock = FolderLock.acquire(dir, config.path("command").asText("run"), err);
        try {
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
                AtomicFiles.writeString(cfg, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n");
            }
            RunFolder f = new RunFolder(dir, readFinished(results, err), lock);
            lock = null;
            return f;
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    /** Releases the folder's lock. */
    @Override
    public void close() {
        lock.close();
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
            boolean last = !complete || isLastLine(all, nl);
            String s;
            try {
                s = TextFiles.decode(results, all, start, nl - start, line);
            } catch (MipeaksException notUtf8) {
                if (!last) {
                    throw notUtf8;
                }
                s = "\u0000"; // a torn tail cut inside a character: dropped below
            }
            JsonNode node = null;
            if (!s.isBlank()) {
                try {
                    node = JSON.readTree(s);
                } catch (JsonProcessingException e) {
                    node = null;
                }
                if (node == null || !node.isObject()) {
                    if (!last) {
                        throw MipeaksException.invalid(results + ":" + line + ": not a JSON object (a damaged results "
                                + "file; remove the line or use another --out)");
                    }
                    complete = false; // a torn tail
                }
            }
            if (!complete) {
                AtomicFiles.truncate(results, start);
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

    public Path dir() {
        return dir;
    }

    /** Lines finished before this run plus those appended by it, in file order. */
    public synchronized List<JsonNode> finished() {
        return List.copyOf(finished);
    }

    /** Appends one line (a single write, then fsync): the unit it describes is finished. */
    public synchronized void append(ObjectNode line) throws IOException {
        AtomicFiles.append(dir.resolve(RESULTS), (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
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
