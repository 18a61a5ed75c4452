package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.CliProcess;
import dev.mipeaks.CliResult;
import dev.mipeaks.analysis.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long-run behaviour on the demo model (no shared data needed): a run killed with SIGINT and resumed, and a run
 * split into two shards and merged, write the same bytes as one uninterrupted run.
 */
class ResumeMergeTest {
    static final int PROBLEMS = 10;

    @TempDir
    static Path tmp;

    static Path model;
    static Path data;
    static Path reference;

    /** The run options every run here shares (one LibTorch thread: the same float results in every process). */
    static List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--model", model.toString(), "--dataset", data.toString(),
                "--layers", "all", "--max-new-tokens", "12", "--threads", "1", "--mi-chunk", "5", "--device", "cpu",
                "--no-report", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    @BeforeAll
    static void referenceRun() throws IOException {
        model = PipelineRuns.demoModel(tmp.resolve("model"));
        data = PipelineRuns.demoProblems(tmp.resolve("data/problems.jsonl"), PROBLEMS);
        reference = tmp.resolve("reference");
        CliResult r = CliResult.run(args(reference).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals(PROBLEMS, Files.readAllLines(reference.resolve(RunLayout.MANIFEST)).size());
    }

    @Test
    void sigintThenResumeEqualsUninterruptedRun() throws Exception {
        Path out = tmp.resolve("killed");
        Path log = tmp.resolve("killed.log");
        Process p = CliProcess.start(args(out), log);
        Path manifest = out.resolve(RunLayout.MANIFEST);
        CliProcess.interruptWhen(p, log, "a finished problem", () -> CliProcess.lineCount(manifest) >= 1);
        String text = Files.readString(log);
        int finished = Files.readAllLines(manifest).size();
        System.out.println("interrupted after " + finished + " of " + PROBLEMS + " problems; exit " + p.exitValue());
        assertEquals(130, p.exitValue(), text);
        assertTrue(finished < PROBLEMS, "the run finished before the signal arrived; nothing was interrupted");
        assertTrue(text.contains("interrupted: ") && text.contains(" problems finished in "), text);
        assertTrue(text.contains("rerun the same command to resume"), text);

        CliResult r = CliResult.run(args(out).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains(finished + " finished before"), r.err());
        PipelineRuns.assertSameResults(reference, out, false);
    }

    @Test
    void twoShardsMergedEqualOneRun() throws IOException {
        Path a = tmp.resolve("shards/0");
        Path b = tmp.resolve("shards/1");
        // shard 1 first: the merge must not depend on the order the shards ran or are listed in
        assertEquals(0, CliResult.run(args(b, "--shard", "1/2").toArray(String[]::new)).code());
        assertEquals(0, CliResult.run(args(a, "--shard", "0/2").toArray(String[]::new)).code());
        List<String> la = Files.readAllLines(a.resolve(RunLayout.MANIFEST));
        assertEquals(PROBLEMS / 2, la.size());
        assertTrue(la.stream().allMatch(s -> s.matches("\\{\"index\":\\d*[02468],.*")), "shard 0 holds even indexes: " + la);

        Path merged = tmp.resolve("merged");
        CliResult m = CliResult.run("merge", "--out", merged.toString(), b.toString(), a.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains(PROBLEMS + " problems"), m.out());
        PipelineRuns.assertSameResults(reference, merged, true);
        assertTrue(Files.isRegularFile(merged.resolve(RunLayout.PEAKS)));

        // merging again (and with an overlapping unsharded run) adds nothing and finds everything identical
        CliResult again = CliResult.run("merge", "--out", merged.toString(), a.toString(), b.toString(),
                reference.toString(), "--no-peaks");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("0 new"), again.out());
        PipelineRuns.assertSameResults(reference, merged, true);
    }

    @Test
    void mergeRefusesDifferentConfigsAndDifferentDuplicates() throws IOException {
        Path a = tmp.resolve("m/a");
        Path c = tmp.resolve("m/c");
        assertEquals(0, CliResult.run(args(a, "--shard", "0/2", "--limit", "2").toArray(String[]::new)).code());
        assertEquals(0, CliResult.run(args(c, "--shard", "1/2", "--limit", "2", "--sigma", "100")
                .toArray(String[]::new)).code());
        CliResult r = CliResult.run("merge", "--out", tmp.resolve("m/out1").toString(), a.toString(), c.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("field 'params'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        // a copy of shard a whose problem 0 was tampered with: same config, different duplicate
        Path t = tmp.resolve("m/tampered");
        copyTree(a, t);
        Path f = t.resolve(RunLayout.problemJson(0));
        Files.writeString(f, Files.readString(f).replace("\"stop_reason\":\"", "\"stop_reason\":\"x"));
        r = CliResult.run("merge", "--out", tmp.resolve("m/out2").toString(), a.toString(), t.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("problems/00000.json differs"), r.err());
    }

    @Test
    void resumingWithAnotherConfigurationIsRefused() throws IOException {
        Path out = tmp.resolve("other");
        assertEquals(0, CliResult.run(args(out, "--limit", "1").toArray(String[]::new)).code());
        CliResult r = CliResult.run(args(out, "--limit", "1", "--sigma", "100").toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("config.json: field 'params'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        // the same options resume (nothing to do) and succeed
        r = CliResult.run(args(out, "--limit", "1").toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("1 finished before, 0 to do"), r.err());
    }

    @Test
    void aLargerLimitGrowsTheFolder() throws IOException {
        Path out = tmp.resolve("grow");
        CliResult r = CliResult.run(args(out, "--limit", "2").toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals(2, Files.readAllLines(out.resolve(RunLayout.MANIFEST)).size());
        r = CliResult.run(args(out, "--limit", "3").toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("2 finished before, 1 to do"), r.err());
        assertEquals(3, Files.readAllLines(out.resolve(RunLayout.MANIFEST)).size());
        // the added problem is the one a single run of all problems wrote
        assertEquals(Files.readString(reference.resolve(RunLayout.problemJson(2))),
                Files.readString(out.resolve(RunLayout.problemJson(2))));
        assertTrue(Files.readString(out.resolve(RunLayout.CONFIG)).contains("\"limit\" : 3"),
                Files.readString(out.resolve(RunLayout.CONFIG)));
        // another slice adds its problems too; the first ones stay
        r = CliResult.run(args(out, "--offset", "5", "--limit", "1").toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals(4, Files.readAllLines(out.resolve(RunLayout.MANIFEST)).size());
        assertTrue(Files.isRegularFile(out.resolve(RunLayout.problemJson(5))));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }
}
