package dev.mipeaks.suppress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.io.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A resumable per-problem JSONL file: one line per finished problem, appended and forced to disk as soon as the
 * problem is graded. On resume, finished lines are read back (keyed by "index"); a last line without its newline is
 * the trace of an interrupted append and is cut off before anything new is appended.
 */
final class ResultsFile {
    static final ObjectMapper JSON = new ObjectMapper();

    private ResultsFile() {
    }

    /** The finished lines by problem index (a later line for the same index wins); repairs an unfinished tail. */
    static Map<Integer, JsonNode> readAndRepair(Path file) {
        Map<Integer, JsonNode> out = new TreeMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw MipeaksException.invalid(file + ": cannot read (" + e.getMessage() + ")");
        }
        int start = 0;
        int line = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            line++;
            String s = TextFiles.decode(file, bytes, start, i - start, line).strip();
            start = i + 1;
            if (s.isEmpty()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(s);
            } catch (IOException e) {
                throw MipeaksException.invalid(file + ":" + line + ": invalid JSON (delete the line to redo the problem)");
            }
            JsonNode idx = n == null ? null : n.get("index");
            if (idx == null || !idx.isIntegralNumber()) {
                throw MipeaksException.invalid(file + ":" + line + ": field 'index' missing or not an integer");
            }
            out.put(idx.asInt(), n);
        }
        if (start < bytes.length) {
            AtomicFiles.truncate(file, start);
        }
        return out;
    }

    /** Appends one line and forces it to disk. */
    static void append(Path file, JsonNode line) throws IOException {
        AtomicFiles.append(file, (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
