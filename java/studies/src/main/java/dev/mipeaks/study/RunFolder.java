package dev.mipeaks.study;

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
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one run folder of every study (run, rr, ttts, suppress): {@code config.json} (every setting that decides the
 * results: the folder's identity) and JSONL files of finished units, each line appended with one write and fsynced,
 * so the line is the commit point of its unit.
 *
 * <ul>
 *   <li>{@link #open}: refuses a file or a foreign non-empty folder (unless --force) and locks the folder
 *       ({@link FolderLock}) until {@link #close};</li>
 *   <li>{@link #claim}: writes config.json into a new folder, or compares it with the stored one: another
 *       configuration is exit 2 naming the first differing field, the same one resumes. Fields the {@link Kind}
 *       leaves out are not compared ({@code created}, {@code run_info}); its slice fields ({@code offset},
 *       {@code limit}) are rewritten when they change (the same run, more or other units);</li>
 *   <li>{@link #lines}: the finished lines of a file; a torn last line (an interrupted append: no newline, not JSON,
 *       cut inside a character) is cut off with a note, so its unit runs again. A damaged line before the last is
 *       exit 2 naming file and line.</li>
 * </ul>
 * Other files of the folder are written atomically ({@link #writeJson}, {@link #writeText}).
 */
public final class RunFolder implements AutoCloseable {
    public static final String CONFIG = "config.json";
    /** The finished units of rr and ttts, one JSON line each. */
    public static final String RESULTS = "results.jsonl";
    public static final String METRICS = "metrics.json";
    public static final String REPORT = "report.md";
    /** The config.json field of rr and ttts that holds informational values (dates, limits, command line). */
    public static final String INFO = "run_info";
    public static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What kind of run folder a study writes.
     *
     * @param command     the command, for the lock ("mipeaks rr")
     * @param description what the folder is, for the refusal of a foreign folder ("a run folder of mipeaks rr")
     * @param lineFiles   its JSONL files of finished units (lines without config.json are refused)
     * @param notCompared config fields that are informational: stored once, never compared
     * @param slice       config fields that select which units to do: not compared, rewritten when they change
     */
    public record Kind(String command, String description, List<String> lineFiles, Set<String> notCompared,
                       Set<String> slice) {
        public static Kind of(String command, String description, String... lineFiles) {
            return new Kind(command, description, List.of(lineFiles), Set.of(), Set.of());
        }

        public Kind notComparing(String... fields) {
            return new Kind(command, description, lineFiles, Set.of(fields), slice);
        }

        /** The fields that are not the folder's identity: {@link #notCompared} and {@link #slice}. */
        public Set<String> notIdentity() {
            Set<String> all = new LinkedHashSet<>(notCompared);
            all.addAll(slice);
            return all;
        }

        public Kind withCommand(String command) {
            return new Kind(command, description, lineFiles, notCompared, slice);
        }

        public Kind withSlice(String... fields) {
            return new Kind(command, description, lineFiles, notCompared, Set.of(fields));
        }
    }

    private final Path dir;
    private final Kind kind;
    private final PrintWriter err;
    private final FolderLock lock;
    private final Map<String, List<JsonNode>> lines = new HashMap<>();

    private RunFolder(Path dir, Kind kind, PrintWriter err, FolderLock lock) {
        this.dir = dir;
        this.kind = kind;
        this.err = err;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) {@code dir} for a run of {@code kind} and locks it until {@link #close}. Refused with
     * exit 2: a file, finished lines without config.json, a non-empty folder without config.json unless
     * {@code force}, a folder another process holds.
     */
    public static RunFolder open(Path dir, Kind kind, boolean force, PrintWriter err) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw MipeaksException.invalid("--out " + dir + ": exists and is not a folder");
        }
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            for (String name : kind.lineFiles()) {
                Path f = dir.resolve(name);
                if (Files.isRegularFile(f) && Files.size(f) > 0) {
                    throw MipeaksException.invalid(f + ": results but no " + CONFIG + " (not a run folder of this "
                            + "command; use another --out)");
                }
            }
        }
        OutputPaths.requireFolder("--out", dir, force, kind.description(), CONFIG);
        return new RunFolder(dir, kind, err, FolderLock.acquire(dir, kind.command(), err));
    }

    /**
     * Makes {@code config} this folder's identity: written when the folder has none; else compared field by field
     * with the stored one (exit 2 naming the first differing field) and, when only the slice changed, rewritten with
     * the new slice. Returns the config now stored.
     */
    public ObjectNode claim(ObjectNode config) throws IOException {
        ObjectNode have = readConfig(dir);
        if (have == null) {
            writeConfig(dir, config);
            return config;
        }
        String field = firstDifference(have, config, kind.notIdentity());
        if (field != null) {
            throw MipeaksException.invalid(dir.resolve(CONFIG) + ": field '" + field + "' is " + show(have.get(field))
                    + " but this run has " + show(config.get(field)) + " (the folder holds a run with another "
                    + "configuration: use another --out, or the same options to resume)");
        }
        boolean sliceChanged = false;
        for (String k : kind.slice()) {
            sliceChanged |= !same(have.get(k), config.get(k));
        }
        if (!sliceChanged) {
            return have;
        }
        ObjectNode updated = have.deepCopy();
        for (String k : kind.slice()) {
            if (config.has(k)) {
                updated.set(k, config.get(k));
            } else {
                updated.remove(k);
            }
        }
        writeConfig(dir, updated); // a larger --limit or another slice: the same run, more units
        return updated;
    }

    /** Releases the folder's lock. */
    @Override
    public void close() {
        lock.close();
    }

    public Path dir() {
        return dir;
    }

    /** The finished lines of {@code name}: those before this run (repaired at the first call) plus those appended. */
    public synchronized List<JsonNode> lines(String name) {
        return List.copyOf(cached(name));
    }

    private List<JsonNode> cached(String name) {
        List<JsonNode> l = lines.get(name);
        if (l == null) {
            l = readLines(dir.resolve(name), err);
            lines.put(name, l);
        }
        return l;
    }

    /** Appends one line to {@code name} (a single write, then fsync): the unit it describes is finished. */
    public synchronized void append(String name, JsonNode line) throws IOException {
        List<JsonNode> l = cached(name); // a torn tail is cut before anything is appended
        AtomicFiles.append(dir.resolve(name), (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        l.add(line);
    }

    /** Writes a file of the folder atomically, as pretty-printed JSON. */
    public void writeJson(String name, Object value) throws IOException {
        AtomicFiles.writeString(dir.resolve(name), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n");
    }

    public void writeText(String name, String text) throws IOException {
        AtomicFiles.writeString(dir.resolve(name), text);
    }

    /** Reads config.json of {@code dir}, or null when there is none. */
    public static ObjectNode readConfig(Path dir) {
        Path f = dir.resolve(CONFIG);
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

    /** Writes config.json of {@code dir} atomically (pretty-printed), creating the folder. */
    public static void writeConfig(Path dir, ObjectNode config) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(CONFIG), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config)
                + "\n");
    }

    /**
     * The first field (in the order of {@code want}, then fields only {@code have} has) whose value differs between
     * {@code have} (a folder's config) and {@code want}, leaving out {@code ignore}; null when they agree.
     */
    public static String firstDifference(JsonNode have, JsonNode want, Set<String> ignore) {
        Set<String> names = new LinkedHashSet<>();
        want.fieldNames().forEachRemaining(names::add);
        have.fieldNames().forEachRemaining(names::add);
        for (String k : names) {
            if (!ignore.contains(k) && !same(have.get(k), want.get(k))) {
                return k;
            }
        }
        return null;
    }

    /** Equal as JSON values, where a missing field equals null and numbers compare by value (50 == 50.0). */
    public static boolean same(JsonNode a, JsonNode b) {
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
    public static String show(JsonNode n) {
        if (n == null || n.isNull()) {
            return "absent";
        }
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /**
     * The JSON object lines of {@code file} (none when it does not exist), repairing an interrupted append: a last
     * line without its newline, or one that is not a JSON object or not UTF-8, is cut off the file with a note on
     * {@code err}. Blank lines are skipped. A bad line before the last is exit 2 naming file and line. With
     * {@code err} null the file is an input that is only read (another run's folder): a torn tail is skipped, the
     * file left as it is.
     */
    public static List<JsonNode> readLines(Path file, PrintWriter err) {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw MipeaksException.invalid(file + ": cannot read (" + e.getMessage() + ")");
        }
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
                s = TextFiles.decode(file, all, start, nl - start, line);
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
                        throw MipeaksException.invalid(file + ":" + line + ": not a JSON object (a damaged results "
                                + "file; remove the line or use another --out)");
                    }
                    complete = false; // a torn tail
                }
            }
            if (!complete) {
                if (err == null) {
                    break;
                }
                AtomicFiles.truncate(file, start);
                err.println("mipeaks: note: " + file + ":" + line + ": dropped an incomplete last line (an interrupted "
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
}
