package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/slurm-suite.sh against a fake sbatch that records its arguments (no Slurm needed): what each job asks for
 * (a GPU only when the run options ask for one), the commands the jobs run (the launcher it is given, quoting that
 * survives spaces), and its refusals. SlurmSuiteIT submits through it to a real single-node Slurm.
 */
class SlurmSuiteScriptTest {
    static final Path SCRIPT = Path.of("..", "scripts", "slurm-suite.sh").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    Path bin;
    Path calls;
    Path launcher;
    Path launcherLog;

    record Result(int code, String out, String err, List<List<String>> sbatchCalls) {
        List<String> array() {
            return sbatchCalls.get(0);
        }

        List<String> merge() {
            return sbatchCalls.get(1);
        }

        /** The value of {@code --name=} in one sbatch call, or null. */
        static String opt(List<String> call, String name) {
            return call.stream().filter(a -> a.startsWith(name + "=")).map(a -> a.substring(name.length() + 1))
                    .findFirst().orElse(null);
        }
    }

    static void executable(Path p, String text) throws IOException {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @BeforeEach
    void fakes() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        calls = Files.createDirectories(tmp.resolve("calls"));
        // sbatch: one file per call, arguments NUL-separated; prints job ids 101, 102, ... like --parsable (with a
        // cluster suffix, which the script must strip)
        executable(bin.resolve("sbatch"), """
                #!/usr/bin/env bash
                n=$(ls "$FAKE_SBATCH_CALLS" | wc -l)
                printf '%s\\0' "$@" > "$FAKE_SBATCH_CALLS/$n"
                echo "$((101 + n));cluster"
                """);
        Path dir = Files.createDirectories(tmp.resolve("my tools"));
        launcher = dir.resolve("mipeaks");
        launcherLog = tmp.resolve("launcher.log");
        executable(launcher, "#!/usr/bin/env bash\nprintf '%s\\0' \"$@\" >> " + launcherLog + "\nprintf '\\n' >> "
                + launcherLog + "\n");
    }

    Result submit(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_SBATCH_CALLS", calls.toString());
        pb.environment().put("MIPEAKS_LAUNCHER", launcher.toString());
        pb.environment().put("MIPEAKS_RUNS", tmp.resolve("runs").toString());
        pb.environment().remove("SLURM_PARTITION");
        pb.environment().remove("SLURM_ACCOUNT");
        pb.environment().putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<List<String>> recorded = new ArrayList<>();
        for (int i = 0; Files.exists(calls.resolve(Integer.toString(i))); i++) {
            String s = Files.readString(calls.resolve(Integer.toString(i)), StandardCharsets.UTF_8);
            recorded.add(Arrays.asList(s.substring(0, s.length() - 1).split("\0", -1)));
            Files.delete(calls.resolve(Integer.toString(i)));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err), recorded);
    }

    /** Runs a job's --wrap command as the job would (bash, with the array task id set); returns the launcher calls. */
    List<List<String>> runWrap(List<String> call, String taskId) throws Exception {
        Files.deleteIfExists(launcherLog);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", Result.opt(call, "--wrap"));
        pb.environment().put("SLURM_ARRAY_TASK_ID", taskId);
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<List<String>> runs = new ArrayList<>();
        for (String line : Files.readString(launcherLog).split("\n")) {
            if (!line.isEmpty()) {
                runs.add(Arrays.asList(line.substring(0, line.length() - 1).split("\0", -1)));
            }
        }
        return runs;
    }

    @Test
    void cpuSuiteAsksForNoGpuAndRunsTheGivenLauncher() throws Exception {
        Result r = submit(Map.of("MIPEAKS_CPUS", "2", "MIPEAKS_MEM", "3G", "MIPEAKS_MERGE_CPUS", "1"),
                "suite", "2", "--", "--model", "/models/with space", "--dataset", "math500", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("submitted array 101 (2 shards, CPU only) and merge 102"), r.out());
        assertEquals(2, r.sbatchCalls().size());
        List<String> array = r.array();
        assertEquals("0-1", Result.opt(array, "--array"));
        assertEquals("2", Result.opt(array, "--cpus-per-task"));
        assertEquals("3G", Result.opt(array, "--mem"));
        assertTrue(array.stream().noneMatch(a -> a.startsWith("--gres")), "a GPU was requested: " + array);
        assertTrue(array.stream().noneMatch(a -> a.startsWith("--partition") || a.startsWith("--account")));
        List<String> merge = r.merge();
        assertEquals("afterok:101", Result.opt(merge, "--dependency"), "the cluster suffix is stripped");
        assertTrue(merge.contains("--kill-on-invalid-dep=yes"));
        assertEquals("1", Result.opt(merge, "--cpus-per-task"));
        assertTrue(merge.stream().noneMatch(a -> a.startsWith("--gres")));

        // the jobs' commands, run as Slurm would run them: the launcher gets the options unchanged
        Path runs = tmp.resolve("runs").toRealPath();
        List<List<String>> shard = runWrap(array, "1");
        assertEquals(List.of(List.of("run", "--model", "/models/with space", "--dataset", "math500", "--device", "cpu",
                "--shard", "1/2", "--out", runs + "/suite.shards/1", "--no-report")), shard);
        List<List<String>> merged = runWrap(merge, "");
        assertEquals(List.of(List.of("merge", "--out", runs + "/suite", runs + "/suite.shards/0", runs + "/suite.shards/1"),
                List.of("report", runs + "/suite")), merged);
        assertTrue(Files.isDirectory(runs.resolve("logs")));
        assertEquals(runs + "/logs/suite-%a.out", Result.opt(array, "--output"));
    }

    @Test
    void gpuOnlyWhenTheRunOptionsAskForOne() throws Exception {
        for (List<String> opts : List.of(List.of("--device", "cuda"), List.of("--device=cuda:1"),
                List.of("--model-device", "cuda:0", "--device", "cpu"), List.of("--model-device=cuda"))) {
            List<String> args = new ArrayList<>(List.of("s", "3", "--", "--model", "m", "--dataset", "d"));
            args.addAll(opts);
            Result r = submit(Map.of(), args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            assertEquals("gpu:1", Result.opt(r.array(), "--gres"), opts.toString());
            assertTrue(r.out().contains("each with --gres=gpu:1"), r.out());
            assertTrue(r.merge().stream().noneMatch(a -> a.startsWith("--gres")), "the merge needs no GPU");
            assertEquals("8", Result.opt(r.array(), "--cpus-per-task"), "default CPUs");
            assertEquals("64G", Result.opt(r.array(), "--mem"), "default memory");
        }
        for (List<String> opts : List.<List<String>>of(List.of(), List.of("--device", "auto"), List.of("--device", "cpu"),
                List.of("--model", "cuda"), List.of("--dataset", "cuda.jsonl"))) {
            List<String> args = new ArrayList<>(List.of("s", "3", "--", "--model", "m", "--dataset", "d"));
            args.addAll(opts);
            Result r = submit(Map.of(), args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            assertEquals(null, Result.opt(r.array(), "--gres"), opts.toString());
        }
        Result r = submit(Map.of("MIPEAKS_GRES", "gpu:h100:1", "SLURM_PARTITION", "gpu", "SLURM_ACCOUNT", "lab"),
                "s", "1", "--", "--model", "m", "--dataset", "d", "--device", "cuda", "--no-report");
        assertEquals(0, r.code(), r.err());
        assertEquals("gpu:h100:1", Result.opt(r.array(), "--gres"));
        assertEquals("gpu", Result.opt(r.array(), "--partition"));
        assertEquals("lab", Result.opt(r.merge(), "--account"));
        assertEquals("0-0", Result.opt(r.array(), "--array"));
        String wrap = Result.opt(r.array(), "--wrap");
        assertEquals(1, wrap.split("--no-report", -1).length - 1, "--no-report given once: " + wrap);
    }

    @Test
    void refusesBadUsageBeforeSubmittingAnything() throws Exception {
        for (String[] args : List.of(new String[]{"s", "2"}, new String[]{"s", "2", "x", "--model", "m"},
                new String[]{"s", "0", "--", "--model", "m"}, new String[]{"s", "two", "--", "--model", "m"},
                new String[]{"a/b", "2", "--", "--model", "m"}, new String[]{"s", "2", "--", "--out", "x"},
                new String[]{"s", "2", "--", "--shard=0/2"})) {
            Result r = submit(Map.of(), args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.sbatchCalls().isEmpty(), String.join(" ", args));
            assertFalse(r.err().isBlank());
        }
        Result r = submit(Map.of(), "s", "2", "--", "--out", "x");
        assertTrue(r.err().contains("leave --out out of the run options"), r.err());
        r = submit(Map.of("MIPEAKS_LAUNCHER", tmp.resolve("nope").toString()), "s", "2", "--", "--model", "m");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("MIPEAKS_LAUNCHER: " + tmp.resolve("nope") + " is not an executable file"), r.err());
        assertTrue(r.sbatchCalls().isEmpty());
    }
}
