package dev.mipeaks.scaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.TextFiles;
import dev.mipeaks.study.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A thinking-token table as the paper ships it ({@code data/<model>.jsonl}): one JSON object per line with
 * {@code word}, {@code freq} (how often the word sat at an MI peak) and {@code token_ids} (the ids of the word in the
 * vocabulary the table was made with, with and without a leading space).
 */
public record ThinkingTable(Path file, List<Entry> entries) {
    /** TTTS_evaluate.py's filter for usable thinking tokens: {@code re.fullmatch('[A-Za-z]+', word)}. */
    private static final Pattern ALPHABETIC = Pattern.compile("[A-Za-z]+");
    /**
     * RR_evaluate.py's filter for trigger words: {@code re.compile(r'^[a-zA-Z]+$').match(word)}, where Python's
     * {@code $} also matches before a final newline.
     */
    private static final Pattern RR_WORD = Pattern.compile("[a-zA-Z]+\n?");
    /** The table of the paper's runs, under the data root. */
    public static final String DEFAULT_RELATIVE = "thinking-tokens/DeepSeek-R1-Distill-Llama-8B.jsonl";

    public record Entry(String word, long freq, int[] tokenIds) {
    }

    public ThinkingTable {
        entries = List.copyOf(entries);
    }

    public static ThinkingTable read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw MipeaksException.invalid(file + ": no such thinking-token table");
        }
        List<String> lines = TextFiles.readLines(file);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i);
            if (s.isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            JsonNode n;
            try {
                n = RunFolder.JSON.readTree(s);
            } catch (JsonProcessingException e) {
                throw MipeaksException.invalid(where + ": invalid JSON: " + e.getOriginalMessage());
            }
            if (!n.isObject() || !n.path("word").isTextual()) {
                throw MipeaksException.invalid(where + ": field 'word' missing (expected {\"word\", \"freq\", \"token_ids\"})");
            }
            if (!n.path("freq").isNumber()) {
                throw MipeaksException.invalid(where + ": field 'freq' missing or not a number");
            }
            JsonNode ids = n.path("token_ids");
            if (!ids.isArray()) {
                throw MipeaksException.invalid(where + ": field 'token_ids' missing or not a list");
            }
            int[] t = new int[ids.size()];
            for (int k = 0; k < t.length; k++) {
                if (!ids.get(k).canConvertToInt() || ids.get(k).asInt() < 0) {
                    throw MipeaksException.invalid(where + ": field 'token_ids' holds " + ids.get(k) + ", not a token id");
                }
                t[k] = ids.get(k).asInt();
            }
            out.add(new Entry(n.get("word").asText(), n.get("freq").asLong(), t));
        }
        return new ThinkingTable(file, out);
    }

    /**
     * The first {@code n} purely alphabetic words (all of them for n < 0) in the table's order, as TTTS_evaluate.py
     * reads them (the paper's tables, and the ones {@code peaks} writes, list the most frequent first).
     */
    public List<Entry> topAlphabetic(int n) {
        return first(n, ALPHABETIC);
    }

    /**
     * The trigger words of RR_evaluate.py: the first {@code n} entries in the table's order whose word matches
     * {@code ^[a-zA-Z]+$} with Python's {@code re.match} (a trailing newline allowed).
     */
    public List<Entry> rrTriggerWords(int n) {
        return first(n, RR_WORD);
    }

    private List<Entry> first(int n, Pattern filter) {
        List<Entry> a = new ArrayList<>();
        for (Entry e : entries) {
            if (filter.matcher(e.word()).matches() && (n < 0 || a.size() < n)) {
                a.add(e);
            }
        }
        return a;
    }
}
