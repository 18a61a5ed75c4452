package dev.mipeaks.analysis;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An opened run: its config and manifest, and its problems read on demand (a run of 500 problems with 16k steps
 * each does not fit comfortably in memory as decoded JSON, so analyses stream over {@link #problems()}).
 */
public final class RunData {
    private final Path dir;
    private final RunConfig config;
    private final List<ManifestEntry> manifest;

    RunData(Path dir, RunConfig config, List<ManifestEntry> manifest) {
        this.dir = dir;
        this.config = config;
        this.manifest = List.copyOf(manifest);
    }

    public Path dir() {
        return dir;
    }

    /** The folder name, used as the run's label in reports. */
    public String name() {
        Path f = dir.toAbsolutePath().normalize().getFileName();
        return f == null ? dir.toString() : f.toString();
    }

    public RunConfig config() {
        return config;
    }

    /** Every manifest entry in index order (one per index; a later line for the same index wins). */
    public List<ManifestEntry> manifest() {
        return manifest;
    }

    public List<ManifestEntry> okEntries() {
        return manifest.stream().filter(ManifestEntry::ok).toList();
    }

    public List<ManifestEntry> skipped() {
        return manifest.stream().filter(e -> !e.ok()).toList();
    }

    /** Reads and validates one problem file. */
    public ProblemRecord problem(ManifestEntry e) {
        return RunReader.readProblem(dir, e, config.layers());
    }

    /** The ok problems in index order, each read when the iterator reaches it. */
    public Iterable<ProblemRecord> problems() {
        List<ManifestEntry> ok = okEntries();
        return () -> new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < ok.size();
            }

            @Override
            public ProblemRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return problem(ok.get(i++));
            }
        };
    }

    /** The tensors file of a problem (problems/NNNNN.safetensors). */
    public Path tensorsFile(ManifestEntry e) {
        return RunLayout.tensorsBeside(dir.resolve(e.file()));
    }
}
