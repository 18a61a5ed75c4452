package dev.mipeaks.suppress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.TextFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The words to suppress, most important first: a thinking-token table (JSONL rows {@code {"word", "freq", ...}} as
 * shared/data/thinking-tokens/*.jsonl and {@code mipeaks peaks}' thinking_tokens.jsonl; sorted by freq descending,
 * file order among equal freqs), or a comma-separated list in the given order. The table's token_ids belong to the
 * vocabulary it was counted in and are not used: words are mapped to the model's ids with {@link WordIndex}.
 *
 * @param source "table PATH" or "list"
 */
public record TokenTable(String source, List<String> words) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public TokenTable {
        words = List.copyOf(words);
    }

    /** {@code spec}: a file path (a table) or a comma-separated word list. */
    public static TokenTable parse(String spec) {
        Path p = Path.of(spec);
        if (Files.isRegularFile(p)) {
            return readTable(p);
        }
        if (spec.endsWith(".jsonl") || spec.endsWith(".json")) {
            throw MipeaksException.invalid("--thinking-tokens " + spec + ": no such file");
        }
        return list(spec);
    }

    /**
     * Comma-separated words, each stripped of surrounding whitespace (so "So, Let" is [So, Let]); empty entries and
     * repeats are dropped.
     */
    public static TokenTable list(String text) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String s : text.split(",")) {
            String w = s.strip();
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        if (out.isEmpty()) {
            throw MipeaksException.invalid("--thinking-tokens '" + text + "': no words (expected a table file or w1,w2,...)");
        }
        return new TokenTable("list", new ArrayList<>(out));
    }

    public static TokenTable readTable(Path file) {
        List<String> lines = TextFiles.readLines(file);
        record Row(String word, long freq, int order) {
        }
        List<Row> rows = new ArrayList<>();
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw MipeaksException.invalid(where + ": invalid JSON");
            }
            if (n == null || !n.isObject()) {
                throw MipeaksException.invalid(where + ": expected a JSON object {\"word\", \"freq\"}");
            }
            JsonNode w = n.get("word");
            if (w == null || !w.isTextual() || w.asText().isEmpty()) {
                throw MipeaksException.invalid(where + ": field 'word' must be a non-empty string");
            }
            JsonNode f = n.get("freq");
            if (f == null || !f.canConvertToLong() || !f.isIntegralNumber() || f.asLong() < 0) {
                throw MipeaksException.invalid(where + ": field 'freq' must be an integer >= 0");
            }
            if (!seen.add(w.asText())) {
                throw MipeaksException.invalid(where + ": field 'word' repeats \"" + w.asText() + "\"");
            }
            rows.add(new Row(w.asText(), f.asLong(), rows.size()));
        }
        if (rows.isEmpty()) {
            throw MipeaksException.invalid(file + ": no rows");
        }
        rows.sort(Comparator.comparingLong(Row::freq).reversed().thenComparingInt(Row::order));
        return new TokenTable("table " + file, rows.stream().map(Row::word).toList());
    }

    /** The first {@code n} words. */
    public List<String> top(int n) {
        if (n > words.size()) {
            throw MipeaksException.invalid("--top-words " + n + ": the " + source + " has only " + words.size() + " words");
        }
        return words.subList(0, n);
    }
}
