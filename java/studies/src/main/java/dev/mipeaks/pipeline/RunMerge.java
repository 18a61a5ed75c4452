package dev.mipeaks.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.ManifestEntry;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.analysis.RunReader;
import dev.mipeaks.analysis.RunWriter;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.io.FolderLock;
import dev.mipeaks.io.OutputPaths;
import dev.mipeaks.study.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Joins the folders of sharded runs ({@code mipeaks run --shard i/n}) into one run folder: their configurations
 * must agree except for {@code shard}; a problem present in several inputs must be identical there (same files,
 * byte for byte, or the same skip). Problem files are copied atomically, then their manifest lines appended in
 * index order, so an interrupted merge is simply run again. Merging into a folder that already holds merged
 * problems adds only the new ones (after the same checks).
 */
public final class RunMerge {
    private RunMerge() {
    }

    /** What a merge did. */
    public record Result(int problems, int added, int skipped, List<String> shardsSeen) {
    }

    /** A manifest entry and the folder it came from. */
    private record Source(Path dir, ManifestEntry entry) {
    }

    public static Result merge(Path out, List<Path> inputs, PrintWriter err) throws IOException {
        return merge(out, inputs, false, err);
    }

    /**
     * Merges {@code inputs} into {@code out} (locked while merging); a non-empty {@code out} that holds no run is
     * refused unless {@code force}.
     */
    public static Result merge(Path out, List<Path> inputs, boolean force, PrintWriter err) throws IOException {
        if (inputs.isEmpty()) {
            throw MipeaksException.invalid("merge: no input run folders given");
        }
        Path outAbs = out.toAbsolutePath().normalize();
        ObjectNode base = null;
        Path baseDir = null;
        TreeSet<String> shards = new TreeSet<>();
        Map<Integer, Source> byIndex = new TreeMap<>();
        for (Path in : inputs) {
            Path dir = in.toAbsolutePath().normalize();
            if (dir.equals(outAbs) || OutputPaths.same(dir, outAbs)) {
                throw MipeaksException.invalid("merge: input " + in + " is the --out folder itself");
            }
            ObjectNode c = RunFolder.readConfig(dir);
            if (c == null) {
                throw MipeaksException.invalid(in + ": not a run folder (no " + RunLayout.CONFIG + ")");
            }
            if (base == null) {
                base = c;
                baseDir = in;
            } else {
                String f = RunFolder.firstDifference(base, c, notIdentity("shard"));
                if (f != null) {
                    throw MipeaksException.invalid(in.resolve(RunLayout.CONFIG) + ": field '" + f + "' is "
                            + RunFolder.show(c.get(f)) + " but " + baseDir.resolve(RunLayout.CONFIG) + " has "
                            + RunFolder.show(base.get(f)) + " (shards must agree on everything but 'shard')");
                }
            }
            if (c.hasNonNull("shard")) {
                shards.add(c.get("shard").asText());
            }
            for (ManifestEntry e : RunReader.open(dir).manifest()) {
                Source s = new Source(dir, e);
                Source prev = byIndex.putIfAbsent(e.index(), s);
                if (prev != null) {
                    requireSame(prev, s);
                }
            }
        }
        ObjectNode merged = base.deepCopy();
        merged.putNull("shard");
        OutputPaths.requireFolder("--out", outAbs, force, "a run folder", RunLayout.CONFIG, RunLayout.MANIFEST);
        try (FolderLock lock = FolderLock.acquire(outAbs, "merge", err)) {
            return into(out, outAbs, merged, byIndex, shards, err);
        }
    }

    /** The fields of a run's config that are not its identity ({@link MiRun#FOLDER}), and {@code more}. */
    private static Set<String> notIdentity(String... more) {
        Set<String> s = new java.util.LinkedHashSet<>(MiRun.FOLDER.notIdentity());
        s.addAll(List.of(more));
        return s;
    }

    private static Result into(Path out, Path outAbs, ObjectNode merged, Map<Integer, Source> byIndex,
                               TreeSet<String> shards, PrintWriter err) throws IOException {
        ObjectNode have = RunFolder.readConfig(outAbs);
        List<ManifestEntry> existing = List.of();
        if (have == null) {
            if (Files.exists(outAbs.resolve(RunLayout.MANIFEST))) {
                throw MipeaksException.invalid(out + ": has " + RunLayout.MANIFEST + " but no " + RunLayout.CONFIG);
            }
            RunFolder.writeConfig(outAbs, merged);
        } else {
            String f = RunFolder.firstDifference(have, merged, notIdentity());
            if (f != null) {
                throw MipeaksException.invalid(out.resolve(RunLayout.CONFIG) + ": field '" + f + "' is "
                        + RunFolder.show(have.get(f)) + " but the merged shards have " + RunFolder.show(merged.get(f))
                        + " (merge into another --out)");
            }
            existing = RunReader.open(outAbs).manifest();
        }
        Map<Integer, ManifestEntry> done = new TreeMap<>();
        existing.forEach(e -> done.put(e.index(), e));
        int added = 0;
        int skipped = 0;
        for (Source s : byIndex.values()) {
            ManifestEntry e = s.entry();
            if (!e.ok()) {
                skipped++;
            }
            ManifestEntry old = done.get(e.index());
            if (old != null) {
                requireSame(new Source(outAbs, old), s);
                continue;
            }
            if (e.ok()) {
                copy(s.dir().resolve(RunLayout.problemTensors(e.index())), outAbs.resolve(RunLayout.problemTensors(e.index())));
                copy(s.dir().resolve(e.file()), outAbs.resolve(RunLayout.problemJson(e.index())));
            }
            RunWriter.appendManifest(outAbs, new ManifestEntry(e.index(), e.id(), e.status(), e.reason(),
                    e.ok() ? RunLayout.problemJson(e.index()) : null));
            added++;
        }
        missingShards(shards, err);
        return new Result(byIndex.size() + (int) done.keySet().stream().filter(i -> !byIndex.containsKey(i)).count(),
                added, skipped, new ArrayList<>(shards));
    }

    /** Warns when the shard labels seen ("1/4", "3/4") leave some shard of the suite out. */
    private static void missingShards(TreeSet<String> shards, PrintWriter err) {
        Set<Integer> counts = new TreeSet<>();
        Set<Integer> seen = new TreeSet<>();
        for (String s : shards) {
            Shard sh = Shard.parse(s);
            counts.add(sh.count());
            seen.add(sh.index());
        }
        if (counts.size() > 1) {
            err.println("warning: the inputs come from different shard counts " + counts);
        } else if (counts.size() == 1) {
            int n = counts.iterator().next();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!seen.contains(i)) {
                    missing.add(i + "/" + n);
                }
            }
            if (!missing.isEmpty()) {
                err.println("warning: no input for shard(s) " + missing + ": the merged run lacks their problems");
            }
        }
    }

    private static void requireSame(Source a, Source b) throws IOException {
        ManifestEntry x = a.entry();
        ManifestEntry y = b.entry();
        String what = "problem " + x.index() + " is in " + a.dir() + " and " + b.dir();
        if (!x.id().equals(y.id()) || !x.status().equals(y.status()) || !Objects.equals(x.reason(), y.reason())) {
            throw MipeaksException.invalid(what + " with different manifest entries (id/status/reason)");
        }
        if (x.ok()) {
            for (String rel : List.of(RunLayout.problemJson(x.index()), RunLayout.problemTensors(x.index()))) {
                Path fa = a.dir().resolve(rel);
                Path fb = b.dir().resolve(rel);
                if (!Files.isRegularFile(fa) || !Files.isRegularFile(fb) || Files.mismatch(fa, fb) != -1) {
                    throw MipeaksException.invalid(what + " but " + rel + " differs (or is missing): duplicate problems "
                            + "must be identical");
                }
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from)) {
            throw MipeaksException.invalid(from + ": no such file (listed as finished in its manifest)");
        }
        AtomicFiles.write(to, os -> Files.copy(from, os));
    }
}
