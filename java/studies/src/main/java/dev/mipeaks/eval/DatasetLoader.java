package dev.mipeaks.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.TextFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads MATH-500 / AIME24 / GSM8K style JSONL and math_train_12k style CSV into {@link Dataset}s.
 *
 * <p>A dataset is named ({@code math500}, {@code aime24}, {@code gsm8k}: {@code <dataRoot>/<name>/test.jsonl}) or
 * given by path ({@code .jsonl}/{@code .json} lines, or {@code .csv} with a header row). Fields are found by their
 * usual names (problem|question, solution, answer, unique_id|id|idx, subject|type, level) unless a
 * {@link #withFields field mapping} names them. The ground truth is: the {@code answer} field; for GSM8K style
 * answers the number after {@code ####} with thousands commas removed; for files without an answer field (the
 * 12k CSV) the last {@code \boxed{}} of the solution.
 *
 * <p>A line (JSONL) or record (CSV) longer than {@link #withMaxLineChars the cap} (default
 * {@value #DEFAULT_MAX_LINE_CHARS} characters, or {@value #MAX_LINE_ENV}) is a bad row like any other: an exit-2
 * error naming file and line, or a {@link SkippedRow} in {@link Mode#SKIP}.
 *
 * <p>Instances are immutable; the {@code with*} methods return modified copies.
 */
public final class DatasetLoader {
    /** What to do with a bad row: fail with file+line ({@code STRICT}) or leave it out and report why. */
    public enum Mode { STRICT, SKIP }

    /** Names that resolve under the data root. */
    public static final Set<String> KNOWN = Set.of("math500", "aime24", "gsm8k");
    /** The canonical fields a {@code --fields} mapping may set. */
    public static final Set<String> CANONICAL = Set.of("problem", "solution", "answer", "id", "subject", "level");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GSM8K_ANSWER = Pattern.compile("####\\s*(.+?)\\s*$", Pattern.DOTALL);

    /** The longest line (JSONL) or record (CSV) read, in characters, unless {@value #MAX_LINE_ENV} says otherwise. */
    public static final int DEFAULT_MAX_LINE_CHARS = 1_000_000;
    /** Environment variable (or system property {@code mipeaks.maxLineChars}) that sets the line cap. */
    public static final String MAX_LINE_ENV = "MIPEAKS_MAX_LINE_CHARS";

    private final Path dataRoot;
    private final Map<String, String> fields;
    private final int offset;
    private final int limit;
    private final Mode mode;
    private final int maxLineChars;

    public DatasetLoader() {
        this(defaultDataRoot(), Map.of(), 0, -1, Mode.STRICT, defaultMaxLineChars());
    }

    private DatasetLoader(Path dataRoot, Map<String, String> fields, int offset, int limit, Mode mode,
                          int maxLineChars) {
        this.dataRoot = dataRoot;
        this.fields = Map.copyOf(fields);
        this.offset = offset;
        this.limit = limit;
        this.mode = mode;
        this.maxLineChars = maxLineChars;
    }

    public DatasetLoader withDataRoot(Path root) {
        return new DatasetLoader(root, fields, offset, limit, mode, maxLineChars);
    }

    /**
     * Caps a line (JSONL) or record (CSV) at {@code n} characters: a longer one is a bad row (strict: exit 2 naming
     * file and line; {@link Mode#SKIP}: a {@link SkippedRow} with the reason), read to its end without being kept.
     * Problems are a few thousand characters; the cap keeps a corrupt or hostile line from taking the machine's
     * memory (a 10 MB line once took 9 GB through parsing and tokenization).
     */
    public DatasetLoader withMaxLineChars(int n) {
        if (n < 1) {
            throw MipeaksException.invalid(MAX_LINE_ENV + ": the line cap must be at least 1 character, got " + n);
        }
        return new DatasetLoader(dataRoot, fields, offset, limit, mode, n);
    }

    public int maxLineChars() {
        return maxLineChars;
    }

    /** {@value #MAX_LINE_ENV} or the property mipeaks.maxLineChars, else {@link #DEFAULT_MAX_LINE_CHARS}. */
    static int defaultMaxLineChars() {
        String v = System.getProperty("mipeaks.maxLineChars");
        String from = "-Dmipeaks.maxLineChars";
        if (v == null || v.isBlank()) {
            v = System.getenv(MAX_LINE_ENV);
            from = MAX_LINE_ENV;
        }
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_LINE_CHARS;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw MipeaksException.invalid(from + "=" + v + ": expected a positive number of characters");
    }

    /** Canonical field -> source field, e.g. {@code problem -> question}. */
    public DatasetLoader withFields(Map<String, String> mapping) {
        for (String k : mapping.keySet()) {
            if (!CANONICAL.contains(k)) {
                throw MipeaksException.invalid("--fields: unknown field '" + k + "' (known: " + new TreeSet<>(CANONICAL) + ")");
            }
        }
        return new DatasetLoader(dataRoot, mapping, offset, limit, mode, maxLineChars);
    }

    /** Parses {@code problem=question,solution=answer,answer=final}. */
    public DatasetLoader withFields(String spec) {
        return withFields(parseFields(spec));
    }

    /** Skip the first {@code n} good rows. */
    public DatasetLoader withOffset(int n) {
        if (n < 0) {
            throw MipeaksException.invalid("--offset must be >= 0, got " + n);
        }
        return new DatasetLoader(dataRoot, fields, n, limit, mode, maxLineChars);
    }

    /** Keep at most {@code n} rows (after the offset); -1 = all. */
    public DatasetLoader withLimit(int n) {
        if (n < -1) {
            throw MipeaksException.invalid("--limit " + n + ": must be >= 0 (leave it out for all problems)");
        }
        return new DatasetLoader(dataRoot, fields, offset, n, mode, maxLineChars);
    }

    public DatasetLoader withMode(Mode m) {
        return new DatasetLoader(dataRoot, fields, offset, limit, m, maxLineChars);
    }

    public Path dataRoot() {
        return dataRoot;
    }

    public static Map<String, String> parseFields(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return m;
        }
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw MipeaksException.invalid("--fields: expected canonical=source pairs, got '" + part + "'");
            }
            m.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return m;
    }

    /**
     * The data root when none is given: env MIPEAKS_DATA, then system property mipeaks.shared + /data, then
     * ../shared/data from the working directory, then ../shared/data beside the enclosing repository root (the first
     * ancestor holding .git). The first that exists wins; if none exists, ../shared/data of the working directory.
     */
    public static Path defaultDataRoot() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("MIPEAKS_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String shared = System.getProperty("mipeaks.shared");
        if (shared != null && !shared.isBlank()) {
            candidates.add(Path.of(shared, "data"));
        }
        Path cwd = Path.of("").toAbsolutePath();
        candidates.add(cwd.resolve("../shared/data").normalize());
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                candidates.add(p.resolve("../shared/data").normalize());
                break;
            }
        }
        for (Path c : candidates) {
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        return cwd.resolve("../shared/data").normalize();
    }

    /** The file a name or path stands for. */
    public Path resolve(String nameOrPath) {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            return p;
        }
        String lower = nameOrPath.toLowerCase(Locale.ROOT);
        Path named = dataRoot.resolve(lower).resolve("test.jsonl");
        if (!nameOrPath.contains("/") && !nameOrPath.contains(".") && Files.isRegularFile(named)) {
            return named;
        }
        if (KNOWN.contains(lower)) {
            throw MipeaksException.invalid("dataset " + nameOrPath + ": " + named + " not found (set --data-dir or MIPEAKS_DATA)");
        }
        throw MipeaksException.invalid("dataset " + nameOrPath + ": no such file, and not a known name " + new TreeSet<>(KNOWN)
                + " under " + dataRoot);
    }

    /** Loads a dataset by name or path. */
    public Dataset load(String nameOrPath) {
        Path file = resolve(nameOrPath);
        String name = KNOWN.contains(nameOrPath.toLowerCase(Locale.ROOT)) ? nameOrPath.toLowerCase(Locale.ROOT)
                : file.getFileName().toString().replaceFirst("\\.(jsonl|json|csv)$", "");
        return load(file, name);
    }

    public Dataset load(Path file, String name) {
        List<DatasetRecord> out = new ArrayList<>();
        List<SkippedRow> skipped = new ArrayList<>();
        Sink sink = new Sink(file.toString(), out, skipped);
        try {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                readCsv(file, sink);
            } else {
                readJsonl(file, sink);
            }
        } catch (IOException e) {
            throw MipeaksException.invalid(file + ": cannot read: " + e.getMessage(), e);
        } catch (StopLoading done) {
            // limit reached
        }
        return new Dataset(name, file, out, skipped);
    }

    /** Thrown to stop reading once the limit is reached. */
    private static final class StopLoading extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopLoading() {
            super(null, null, false, false);
        }
    }

    /** Collects good rows (honouring offset/limit) and bad rows (by mode). */
    private final class Sink {
        final String file;
        final List<DatasetRecord> out;
        final List<SkippedRow> skipped;
        int good;

        Sink(String file, List<DatasetRecord> out, List<SkippedRow> skipped) {
            this.file = file;
            this.out = out;
            this.skipped = skipped;
        }

        void bad(long line, String reason) {
            if (mode == Mode.STRICT) {
                throw MipeaksException.invalid(file + ":" + line + ": " + reason);
            }
            skipped.add(new SkippedRow(file, line, reason));
        }

        void row(int index, long line, Map<String, Object> raw) {
            DatasetRecord r;
            try {
                r = toRecord(index, raw);
            } catch (BadRow e) {
                bad(line, e.getMessage());
                return;
            }
            if (good++ < offset) {
                return;
            }
            if (limit >= 0 && out.size() >= limit) {
                throw new StopLoading();
            }
            out.add(r);
        }
    }

    private static final class BadRow extends Exception {
        private static final long serialVersionUID = 1L;

        BadRow(String m) {
            super(m, null, false, false);
        }
    }

    private void readJsonl(Path file, Sink sink) throws IOException {
        try (BufferedReader br = new BufferedReader(new java.io.StringReader(TextFiles.readUtf8(file)))) {
            LineReader lines = new LineReader(br, maxLineChars);
            LineReader.Line l;
            long line = 0;
            int index = 0;
            while ((l = lines.next()) != null) {
                line++;
                if (l.tooLong()) {
                    index++;
                    sink.bad(line, tooLong("line", l.length()));
                    continue;
                }
                String s = l.text();
                if (s.isBlank()) {
                    continue;
                }
                int idx = index++;
                Map<String, Object> raw;
                try {
                    Object v = JSON.readValue(s, Object.class);
                    if (!(v instanceof Map<?, ?>)) {
                        sink.bad(line, "expected a JSON object, got " + (v == null ? "null" : v.getClass().getSimpleName()));
                        continue;
                    }
                    raw = JSON.convertValue(v, new TypeReference<LinkedHashMap<String, Object>>() { });
                } catch (JsonProcessingException e) {
                    sink.bad(line, "invalid JSON: " + e.getOriginalMessage());
                    continue;
                }
                sink.row(idx, line, raw);
            }
        }
    }

    private void readCsv(Path file, Sink sink) throws IOException {
        CsvRows csv = new CsvRows(TextFiles.readUtf8(file), file.toString());
        CsvRows.Row header = csv.next();
        if (header == null) {
            throw MipeaksException.invalid(file + ": empty CSV (no header row)");
        }
        List<String> names = new ArrayList<>(header.fields());
        if (!names.isEmpty() && names.get(0).startsWith("\uFEFF")) {
            names.set(0, names.get(0).substring(1));
        }
        int index = 0;
        CsvRows.Row row;
        while ((row = csv.next()) != null) {
            if (row.chars() > maxLineChars) {
                index++;
                sink.bad(row.line(), tooLong("record", row.chars()));
                continue;
            }
            if (row.fields().size() == 1 && row.fields().get(0).isEmpty()) {
                continue; // blank line
            }
            int idx = index++;
            if (row.fields().size() != names.size()) {
                sink.bad(row.line(), "expected " + names.size() + " fields (" + String.join(",", names) + "), got "
                        + row.fields().size());
                continue;
            }
            Map<String, Object> raw = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                raw.put(names.get(i), row.fields().get(i));
            }
            sink.row(idx, row.line(), raw);
        }
    }

    private String tooLong(String what, long chars) {
        return what + " of " + chars + " characters, more than the cap of " + maxLineChars + " (set " + MAX_LINE_ENV
                + " to raise it)";
    }

    private Object field(Map<String, Object> raw, String canonical, String... usual) throws BadRow {
        String mapped = fields.get(canonical);
        if (mapped != null) {
            if (!raw.containsKey(mapped)) {
                throw new BadRow("no field '" + mapped + "' (mapped from " + canonical + ")");
            }
            return raw.get(mapped);
        }
        for (String u : usual) {
            if (raw.get(u) != null) {
                return raw.get(u);
            }
        }
        return null;
    }

    private static String text(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return o.toString();
    }

    private DatasetRecord toRecord(int index, Map<String, Object> raw) throws BadRow {
        String problem = text(field(raw, "problem", "problem", "question", "Problem", "input"));
        if (problem == null || problem.isBlank()) {
            throw new BadRow("no problem text (fields: " + raw.keySet() + ")");
        }
        boolean gsmStyle = !fields.containsKey("solution") && !raw.containsKey("solution")
                && raw.get("answer") instanceof String a && a.contains("####");
        String solution = gsmStyle ? (String) raw.get("answer") : text(field(raw, "solution", "solution", "Solution"));
        String answer = text(field(raw, "answer", "answer", "Answer", "final_answer"));
        if (answer != null && answer.contains("####")) {
            Matcher m = GSM8K_ANSWER.matcher(answer);
            if (!m.find()) {
                throw new BadRow("answer has '####' but no number after it");
            }
            answer = m.group(1).replace(",", "").trim();
        }
        if (answer == null && solution != null) {
            answer = AnswerExtractor.lastBoxed(solution);
        }
        if (answer != null) {
            answer = answer.trim();
        }
        String id = text(field(raw, "id", "unique_id", "id", "idx"));
        if (id == null) {
            id = Integer.toString(index);
        }
        String subject = text(field(raw, "subject", "subject", "type"));
        Integer level = parseLevel(field(raw, "level", "level"));
        return new DatasetRecord(index, id, problem, solution == null ? "" : solution, answer, subject, level, raw);
    }

    private static Integer parseLevel(Object o) throws BadRow {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n) {
            return n.intValue();
        }
        Matcher m = Pattern.compile("(\\d+)").matcher(o.toString()); // "Level 3" in the full MATH set
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        if (o.toString().contains("?")) {
            return null; // "Level ?" occurs in MATH train
        }
        throw new BadRow("level '" + o + "' is not a number");
    }
}
