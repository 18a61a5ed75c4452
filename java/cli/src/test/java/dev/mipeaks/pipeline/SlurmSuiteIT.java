package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mipeaks.ExternalTools;
import dev.mipeaks.SharedData;
import dev.mipeaks.analysis.RunLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/slurm-suite.sh for real (an integration test: it runs after `package`, on the built scripts/mipeaks): a
 * single-node Slurm started by scripts/slurm-local.sh (root, slurm-wlm and munge), a 2-shard CPU suite on
 * shared/models/tiny-qwen2 and 3 MATH-500 problems submitted through the script, the merge job awaited, and the
 * merged folder compared with one plain `run` of the same options: problem files byte-identical, the same manifest,
 * the same peaks.jsonl and thinking_tokens.jsonl, and report.md + report.html written by the merge job. The jobs
 * must not have asked for a GPU. Skips with the reason where Slurm cannot be installed or started (unless
 * MIPEAKS_TEST_REQUIRE names slurm) or ../shared is absent.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class SlurmSuiteIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path LAUNCHER = ROOT.resolve("scripts/mipeaks");
    static final Path SUITE = ROOT.resolve("scripts/slurm-suite.sh");
    static final Path LOCAL = ROOT.resolve("scripts/slurm-local.sh");
    static final Pattern SUBMITTED = Pattern.compile("submitted array (\\d+) \\(2 shards, CPU only\\) and merge (\\d+)");

    @TempDir
    Path tmp;

    record Proc(int code, String out) {
    }

    static Proc sh(Map<String, String> env, long timeoutS, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        // drained on another thread so that a chatty command cannot block on a full pipe
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("did not finish in " + timeoutS + " s: " + cmd + "\n" + out.getNow(""));
        }
        return new Proc(p.exitValue(), out.get());
    }

    static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
    }

    static boolean root() {
        try {
            return sh(Map.of(), 10, List.of("id", "-u")).out().strip().equals("0");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void twoShardCpuSuiteThroughSlurmEqualsOneRun() throws Exception {
        Path model = SharedData.require("models/tiny-qwen2");
        Path data = SharedData.require("data/math500/test.jsonl").getParent().getParent();
        List<String> missing = Stream.of("munged", "slurmctld", "slurmd", "sbatch", "scontrol", "sinfo")
                .filter(b -> !onPath(b) && !Files.isExecutable(Path.of("/usr/sbin", b))).toList();
        ExternalTools.assumeAvailable("slurm", missing.isEmpty(),
                "Slurm is not installed (" + missing + " not found; apt-get install slurm-wlm munge)");
        ExternalTools.assumeAvailable("slurm", root(), "starting slurmd needs root");
        assertTrue(Files.isRegularFile(ROOT.resolve("java/cli/target/mipeaks.jar")),
                "the launcher's jar is missing: this test runs after `mvn package` (failsafe)");

        String java = ProcessHandle.current().info().command().orElse("java");
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "JAVA", java,
                "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin"));
        Path cluster = tmp.resolve("slurm");
        Proc start = sh(env, 120, List.of("bash", LOCAL.toString(), "start", cluster.toString()));
        ExternalTools.assumeAvailable("slurm", start.code() == 0,
                "a local Slurm could not be started (slurm-local.sh exit " + start.code() + "): " + start.out().strip());
        try {
            env.put("SLURM_CONF", cluster.resolve("slurm.conf").toString());
            suite(env, model, data);
        } finally {
            Proc stop = sh(env, 60, List.of("bash", LOCAL.toString(), "stop", cluster.toString()));
            System.out.println("slurm-local.sh stop: exit " + stop.code() + " " + stop.out().strip());
        }
    }

    void suite(Map<String, String> env, Path model, Path data) throws Exception {
        List<String> runOptions = List.of("--model", model.toString(), "--dataset", "math500", "--data-dir",
                data.toString(), "--limit", "3", "--layers", "all", "--max-new-tokens", "8", "--threads", "1",
                "--mi-chunk", "5", "--device", "cpu");
        Path runs = tmp.resolve("runs");
        env.putAll(Map.of("MIPEAKS_LAUNCHER", LAUNCHER.toString(), "MIPEAKS_RUNS", runs.toString(),
                "MIPEAKS_CPUS", "1", "MIPEAKS_MEM", "2G", "MIPEAKS_TIME", "00:20:00",
                "MIPEAKS_MERGE_CPUS", "1", "MIPEAKS_MERGE_MEM", "2G", "MIPEAKS_MERGE_TIME", "00:20:00",
                "JAVA_OPTS", "-Xmx1g"));
        long t0 = System.nanoTime();
        List<String> submit = new ArrayList<>(List.of("bash", SUITE.toString(), "tq", "2", "--"));
        submit.addAll(runOptions);
        Proc s = sh(env, 120, submit);
        assertEquals(0, s.code(), s.out());
        Matcher m = SUBMITTED.matcher(s.out());
        assertTrue(m.find(), s.out());
        String arrayId = m.group(1);
        String mergeId = m.group(2);

        // no GPU asked for, by the array or the merge (scontrol lists TRES and GRES per job)
        for (String id : List.of(arrayId, mergeId)) {
            String job = sh(env, 30, List.of("scontrol", "show", "job", id)).out();
            List<String> resources = Stream.of(job.split("\\s+"))
                    .filter(f -> f.startsWith("TRES=") || f.startsWith("Tres") || f.startsWith("Gres")).toList();
            assertFalse(resources.isEmpty(), job);
            assertTrue(resources.stream().noneMatch(f -> f.toLowerCase(java.util.Locale.ROOT).contains("gpu")),
                    "job " + id + " asked for a GPU: " + resources);
        }

        // meanwhile, the same options as one plain run through the same launcher
        Path reference = tmp.resolve("reference");
        List<String> plain = new ArrayList<>(List.of(LAUNCHER.toString(), "run"));
        plain.addAll(runOptions);
        plain.addAll(List.of("--out", reference.toString()));
        Proc ref = sh(env, 600, plain);
        assertEquals(0, ref.code(), ref.out());

        String state = awaitJob(env, mergeId, 600);
        String logs = logs(runs.resolve("logs"));
        assertEquals("COMPLETED", state, "merge job " + mergeId + "; logs:\n" + logs);
        System.out.printf("slurm suite: submitted, 2 shards and the merge done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        String arrayStates = sh(env, 30, List.of("scontrol", "show", "job", arrayId)).out().lines()
                .filter(l -> l.contains("JobState=")).map(String::strip).collect(Collectors.joining("; "));
        assertEquals(2, arrayStates.split("JobState=COMPLETED", -1).length - 1, arrayStates);

        Path merged = runs.resolve("tq");
        assertEquals(3, Files.readAllLines(merged.resolve(RunLayout.MANIFEST)).size());
        PipelineRuns.assertSameResults(reference, merged, true);
        for (String f : List.of(RunLayout.PEAKS, RunLayout.THINKING_TOKENS)) {
            assertEquals(Files.readString(reference.resolve(f)), Files.readString(merged.resolve(f)), f);
        }
        for (String f : List.of(RunLayout.REPORT, RunLayout.REPORT_HTML, "plots/trajectories.png")) {
            assertTrue(Files.isRegularFile(merged.resolve(f)), f + " missing from the merged run; logs:\n" + logs);
        }
        // the shards ran with --no-report: the merge job wrote the only report
        for (int i = 0; i < 2; i++) {
            Path shard = runs.resolve("tq.shards/" + i);
            assertEquals(i == 0 ? 2 : 1, Files.readAllLines(shard.resolve(RunLayout.MANIFEST)).size());
            assertFalse(Files.exists(shard.resolve(RunLayout.REPORT)), "shard " + i + " wrote a report");
        }
        assertTrue(logs.contains("merged 2 input folders"), logs);
    }

    /** Polls the job until it leaves PENDING/RUNNING (or a few other transient states); returns its final state. */
    static String awaitJob(Map<String, String> env, String id, long timeoutS) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        Pattern p = Pattern.compile("JobState=(\\S+)");
        String last = "";
        while (System.nanoTime() < deadline) {
            Proc r = sh(env, 30, List.of("scontrol", "show", "job", id));
            Matcher m = p.matcher(r.out());
            last = r.out();
            if (m.find()) {
                String st = m.group(1);
                if (!List.of("PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED").contains(st)) {
                    return st;
                }
            }
            Thread.sleep(1000);
        }
        return "(still waiting after " + timeoutS + " s) " + last;
    }

    static String logs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return "(no logs)";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                sb.append("--- ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return sb.toString();
    }
}
