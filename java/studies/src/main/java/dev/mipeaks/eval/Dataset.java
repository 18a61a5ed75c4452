package dev.mipeaks.eval;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded dataset: its records (after offset/limit), where they came from, and the rows a lenient load skipped.
 * Immutable and safe to share between threads.
 */
public final class Dataset {
    private final String name;
    private final Path source;
    private final List<DatasetRecord> records;
    private final List<SkippedRow> skipped;
    private final Map<Integer, DatasetRecord> byIndex = new HashMap<>();
    private final Map<String, DatasetRecord> byId = new HashMap<>();

    public Dataset(String name, Path source, List<DatasetRecord> records, List<SkippedRow> skipped) {
        this.name = name;
        this.source = source;
        this.records = List.copyOf(records);
        this.skipped = List.copyOf(skipped);
        for (DatasetRecord r : this.records) {
            byIndex.put(r.index(), r);
            byId.putIfAbsent(r.id(), r);
        }
    }

    /** The name it was asked for by (math500, aime24, gsm8k) or the file name. */
    public String name() {
        return name;
    }

    public Path source() {
        return source;
    }

    public List<DatasetRecord> records() {
        return records;
    }

    public int size() {
        return records.size();
    }

    public DatasetRecord get(int i) {
        return records.get(i);
    }

    /** Rows that a {@link DatasetLoader.Mode#SKIP} load left out, with reasons; empty for strict loads. */
    public List<SkippedRow> skipped() {
        return skipped;
    }

    /** The record at file position {@code index} (0-based, independent of offset/limit). */
    public Optional<DatasetRecord> byIndex(int index) {
        return Optional.ofNullable(byIndex.get(index));
    }

    /** The record whose {@link DatasetRecord#id()} is {@code id}. */
    public Optional<DatasetRecord> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
