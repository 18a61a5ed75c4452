package dev.mipeaks.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.mipeaks.CliResult;
import dev.mipeaks.SharedData;
import dev.mipeaks.analysis.AnalysisTestRuns;
import dev.mipeaks.demo.DemoModel;
import dev.mipeaks.io.FolderLock;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.io.SafetensorsWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12, the command-line items: outputs never replace inputs or foreign folders, every folder a command writes
 * is locked, options are checked before anything is written, bad files and I/O failures are one-line exit-2 errors.
 * (run's own cases: dev.mipeaks.pipeline.BadInputTest; two processes: dev.mipeaks.pipeline.RunLockTest.)
 */
class ReliabilityTest {
    @TempDir
    static Path tmp;

    static Path model;
    static Path pairs;

    static void assertError(CliResult r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        // informational lines left out: the GPU fallback notice, the memory plan block (printed before a model loads)
        List<String> lines = r.err().strip().lines().filter(l -> !l.equals(dev.mipeaks.gpu.Devices.NO_GPU_LINE)
                && !l.equals(dev.mipeaks.gpu.Devices.NO_KERNELS_LINE) && !l.startsWith("mipeaks: GPU not used")
                && !l.startsWith("memory plan: ") && !l.matches("  (cpu|cuda:\\d+|disk) +.*")).toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        assertTrue(lines.get(0).startsWith("mipeaks: error: "), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' in: " + r.err());
        }
    }

    @BeforeAll
    static void fixtures() throws IOException {
        model = DemoModel.write(tmp.resolve("model"), 7);
        pairs = tmp.resolve("pairs.safetensors");
        Random r = new Random(1);
        float[] x = new float[4 * 32];
        float[] y = new float[4 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = x[i] + (float) r.nextGaussian();
        }
        new SafetensorsWriter().addF32("x", new long[] {4, 32}, x).addF32("y", new long[] {4, 32}, y).write(pairs);
    }

    // ---- item 6: an output is never an input, a file output is never a folder

    @Test
    void estimateRefusesToWriteOverItsPairs() throws IOException {
        byte[] before = Files.readAllBytes(pairs);
        assertError(CliResult.run("estimate", "--pairs", pairs.toString(), "--x", "x", "--y", "y", "--quiet", "--out",
                tmp.resolve("./pairs.safetensors").toString()), "is an input (--pairs " + pairs + ")");
        assertArrayEquals(before, Files.readAllBytes(pairs));
        Path dir = Files.createDirectories(tmp.resolve("estimate-dir"));
        assertError(CliResult.run("estimate", "--pairs", pairs.toString(), "--x", "x", "--y", "y", "--quiet", "--out",
                dir.toString()), "--out " + dir + ": is a folder");
    }

    @Test
    void gradeRefusesToWriteOverItsPredictionsOrDataset() throws IOException {
        Path data = Files.writeString(tmp.resolve("grade-data.jsonl"), "{\"problem\": \"1+1\", \"answer\": \"2\"}\n");
        Path preds = Files.writeString(tmp.resolve("grade-preds.jsonl"), "{\"index\": 0, \"prediction\": \"2\"}\n");
        byte[] before = Files.readAllBytes(preds);
        for (Path out : List.of(preds, data)) {
            assertError(CliResult.run("grade", "--predictions", preds.toString(), "--dataset", data.toString(), "--no-cas",
                    "--out", out.toString()), "is an input");
        }
        // summary.json is written beside --out: it may not be an input either
        Path summaryInput = Files.createDirectories(tmp.resolve("g")).resolve("summary.json");
        Files.copy(preds, summaryInput);
        assertError(CliResult.run("grade", "--predictions", summaryInput.toString(), "--dataset", data.toString(), "--no-cas",
                "--out", tmp.resolve("g/verdicts.jsonl").toString()), "is an input (--predictions");
        assertArrayEquals(before, Files.readAllBytes(preds));
        assertArrayEquals(before, Files.readAllBytes(summaryInput));
    }

    @Test
    void traceRefusesToWriteOverTheWeightsOrIntoAFolder() throws IOException {
        Path weights = model.resolve("model.safetensors");
        byte[] before = Files.readAllBytes(weights);
        assertError(CliResult.run("trace", "--model", model.toString(), "--prompt-ids", "5,6", "--max-new-tokens", "2",
                "--out", weights.toString()), "is an input (a file of --model " + weights + ")");
        assertArrayEquals(before, Files.readAllBytes(weights));
        Path dir = Files.createDirectories(tmp.resolve("trace-dir"));
        assertError(CliResult.run("trace", "--model", model.toString(), "--prompt-ids", "5,6", "--max-new-tokens", "2",
                "--out", dir.toString()), "--out " + dir + ": is a folder");
    }

    @Test
    void aNewOutputFileHasTheUmasksMode() throws IOException {
        Path reference = Files.createFile(tmp.resolve("mode-reference"));
        Path out = tmp.resolve("mode-estimate.jsonl");
        CliResult r = CliResult.run("estimate", "--pairs", pairs.toString(), "--x", "x", "--y", "y", "--quiet", "--threads", "1",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(reference)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    // ---- item 7

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void absurdThreadCountsAreCappedWithANote() {
        CliResult r = CliResult.run("estimate", "--pairs", pairs.toString(), "--x", "x", "--y", "y", "--quiet", "--device", "cpu",
                "--threads", "100000");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("--threads 100000 is more than this machine can use"), r.err());
        assertEquals(4, r.out().strip().lines().count(), r.out());
        assertError(CliResult.run("estimate", "--pairs", pairs.toString(), "--x", "x", "--y", "y", "--threads", "0"),
                "--threads 0: must be at least 1");
    }

    @Test
    void aNegativeLimitIsAnErrorNotTheWholeDataset() {
        Path data = Path.of("does-not-matter.jsonl");
        assertError(CliResult.run("run", "--model", model.toString(), "--dataset", data.toString(), "--limit", "-7", "--out",
                tmp.resolve("limit-run").toString()), "--limit -7: must be >= 0");
        assertError(CliResult.run("rr", "--model", model.toString(), "--dataset", data.toString(), "--limit", "-7",
                "--trigger-ids", "5", "--out", tmp.resolve("limit-rr").toString()), "--limit -7: must be >= 0");
        assertError(CliResult.run("ttts", "--model", model.toString(), "--dataset", data.toString(), "--limit", "-1",
                "--thinking-token", "Wait", "--out", tmp.resolve("limit-ttts").toString()), "--limit -1: must be >= 0");
        assertError(CliResult.run("suppress", "--model", model.toString(), "--dataset", data.toString(), "--limit", "-7",
                "--thinking-tokens", "Wait", "--out", tmp.resolve("limit-sup").toString()), "--limit -7: must be >= 0");
        for (String f : List.of("limit-run", "limit-rr", "limit-ttts", "limit-sup")) {
            assertFalse(Files.exists(tmp.resolve(f)), f + " not created");
        }
    }

    @Test
    void promptIdsOutsideTheVocabularyBlameTheRightOption() throws IOException {
        assertError(CliResult.run("trace", "--model", model.toString(), "--prompt-ids", "5,9999", "--max-new-tokens", "2",
                "--out", tmp.resolve("vocab1.safetensors").toString()),
                "--prompt-ids: id 9999 outside the model's vocabulary [0, " + DemoModel.VOCAB + ")");
        // --prompt text through a tokenizer of another vocabulary: the tokenizer is at fault, not --prompt-ids
        Path llama3 = SharedData.require("tokenizers/llama3/tokenizer.json");
        Path mixed = Files.createDirectories(tmp.resolve("mixed-model"));
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(model.resolve(f), mixed.resolve(f));
        }
        Files.copy(llama3, mixed.resolve("tokenizer.json"));
        CliResult r = CliResult.run("trace", "--model", mixed.toString(), "--prompt", "Wait", "--no-special-tokens",
                "--max-new-tokens", "2", "--out", tmp.resolve("vocab2.safetensors").toString());
        assertError(r, "--prompt: " + mixed.resolve("tokenizer.json") + " encodes it to id 14524, outside the model's "
                + "vocabulary [0, " + DemoModel.VOCAB + ")", "tokenizer and model do not match");
        assertFalse(r.err().contains("--prompt-ids"), r.err());
    }

    // ---- item 8

    @Test
    void nanWeightsAreReportedNotTraced() throws IOException {
        Path nan = Files.createDirectories(tmp.resolve("nan-model"));
        for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
            Files.copy(model.resolve(f), nan.resolve(f));
        }
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(model.resolve("model.safetensors"))) {
            for (var t : f.tensors().values()) {
                ByteBuffer b = ByteBuffer.allocate((int) t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
                b.put(f.data(t.name()).duplicate()).flip();
                if (t.name().equals("model.layers.2.mlp.down_proj.weight")) {
                    float[] v = new float[(int) t.numel()];
                    Arrays.fill(v, Float.POSITIVE_INFINITY);
                    v[0] = Float.NaN;
                    w.addF32(t.name(), t.shape(), v);
                } else {
                    w.add(t.name(), t.dtype(), t.shape(), b);
                }
            }
        }
        w.write(nan.resolve("model.safetensors"));
        Path out = tmp.resolve("nan.safetensors");
        // layer 1 is finite; the check also covers the last layer, which the tokens come from
        assertError(CliResult.run("trace", "--model", nan.toString(), "--prompt-ids", "5,6,7", "--layers", "1",
                "--max-new-tokens", "3", "--out", out.toString()), "the state after layer 3 is", "at step 0",
                "the weights hold NaN or Inf values", "no trajectory written");
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".nan.safetensors")), "no spills left");
        }
    }

    @Test
    void aDamagedSafetensorsHeaderIsExit2NotAnInternalError() throws IOException {
        String header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[1,4],\"data_offsets\":[16,32]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path f = tmp.resolve("huge.safetensors");
        Files.write(f, ByteBuffer.allocate(8 + h.length + 32).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
                .array());
        assertError(CliResult.run("estimate", "--pairs", f.toString(), "--x", "x", "--y", "y"), f + ": tensor 'x': shape");
    }

    @Test
    void unwritableOutputsAreExit2NamingThePath() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Path out = file.resolve("v.jsonl");
        assertError(CliResult.run("estimate", "--pairs", pairs.toString(), "--x", "x", "--y", "y", "--quiet", "--out",
                out.toString()), out + ": cannot write (" + file + " is a file, not a folder)");
        Path run = AnalysisTestRuns.synthetic(tmp.resolve("ro-run"), 1, 1.0, List.of());
        if (System.getProperty("user.name").equals("root")) {
            System.out.println("SKIP (read-only folder case): running as root, which ignores file permissions");
        }
        assumeFalse(System.getProperty("user.name").equals("root"), "root ignores file permissions");
        try {
            Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("r-xr-xr-x"));
            assertError(CliResult.run("peaks", run.toString()), run.toString(), "permission denied");
        } finally {
            Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void nonUtf8InputNamesFileAndLine() throws IOException {
        Path data = Files.writeString(tmp.resolve("utf8-data.jsonl"), "{\"problem\": \"1+1\", \"answer\": \"2\"}\n");
        Path preds = tmp.resolve("latin1-preds.jsonl");
        Files.write(preds, "{\"index\": 0, \"prediction\": \"2\"}\n{\"index\": 1, \"prediction\": \"caf\u00e9\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertError(CliResult.run("grade", "--predictions", preds.toString(), "--dataset", data.toString(), "--no-cas"),
                preds + ":2: not UTF-8 text (byte 0xE9");
        Path latin = tmp.resolve("latin1-data.jsonl");
        Files.write(latin, "{\"problem\": \"caf\u00e9\", \"answer\": \"2\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        assertError(CliResult.run("grade", "--predictions", data.toString(), "--dataset", latin.toString(), "--no-cas"),
                latin + ":1: not UTF-8 text");
    }

    // ---- item 4: every command that writes a folder takes its lock

    /** Holds {@code dir}'s lock in another thread (as another writer would) until closed. */
    static AutoCloseable holdLock(Path dir) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (FolderLock lock = FolderLock.acquire(dir, "test-holder", new PrintWriter(new StringWriter()))) {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lock-holder");
        t.start();
        assertTrue(held.await(30, TimeUnit.SECONDS));
        return () -> {
            release.countDown();
            t.join();
        };
    }

    @Test
    void everyCommandThatWritesAFolderTakesItsLock() throws Exception {
        Path a = AnalysisTestRuns.synthetic(tmp.resolve("lock-a"), 1, 1.0, List.of());
        Path b = AnalysisTestRuns.synthetic(tmp.resolve("lock-b"), 2, 1.0, List.of());
        Path cmp = tmp.resolve("lock-compare");
        Path merged = tmp.resolve("lock-merged");
        Path data = Files.writeString(tmp.resolve("lock-data.jsonl"),
                "{\"problem\": \"1+1\", \"solution\": \"2\", \"answer\": \"2\"}\n");
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of(a.toString(), "peaks", a.toString()));
        commands.add(List.of(a.toString(), "report", a.toString()));
        commands.add(List.of(cmp.toString(), "compare", a.toString(), b.toString(), "--out", cmp.toString()));
        commands.add(List.of(merged.toString(), "merge", "--out", merged.toString(), a.toString()));
        commands.add(List.of(tmp.resolve("lock-run").toString(), "run", "--model", model.toString(), "--dataset",
                data.toString(), "--threads", "1", "--device", "cpu", "--out", tmp.resolve("lock-run").toString()));
        commands.add(List.of(tmp.resolve("lock-demo").toString(), "demo", "--out", tmp.resolve("lock-demo").toString()));
        for (List<String> c : commands) {
            Path dir = Path.of(c.get(0));
            String[] args = c.subList(1, c.size()).toArray(String[]::new);
            try (AutoCloseable hold = holdLock(dir)) {
                assertError(CliResult.run(args), dir.toString(), ": in use by ", "'mipeaks test-holder'");
            }
        }
        // free again, they run (merge's output is a new run folder; peaks then writes into it)
        assertEquals(0, CliResult.run("peaks", a.toString()).code());
        CliResult m = CliResult.run("merge", "--out", merged.toString(), a.toString());
        assertEquals(0, m.code(), m.err());
        assertEquals("", Files.readString(merged.resolve(FolderLock.FILE)), "released");
    }

    @Test
    void foreignOutputFoldersAreRefusedUnlessForced() throws Exception {
        Path a = AnalysisTestRuns.synthetic(tmp.resolve("foreign-a"), 1, 1.0, List.of());
        Path b = AnalysisTestRuns.synthetic(tmp.resolve("foreign-b"), 2, 1.0, List.of());
        Path mine = Files.createDirectories(tmp.resolve("my-documents"));
        Files.writeString(mine.resolve("thesis.tex"), "precious");
        assertError(CliResult.run("compare", a.toString(), b.toString(), "--out", mine.toString()),
                "a non-empty folder (1 entry, e.g. 'thesis.tex') without compare.json", "--force");
        assertError(CliResult.run("merge", "--out", mine.toString(), a.toString()), "without config.json");
        assertError(CliResult.run("demo", "--out", mine.toString()), "'thesis.tex'");
        assertError(CliResult.run("compare", a.toString(), b.toString(), "--out", a.toString()), "is an input (RUN " + a + ")");
        assertEquals(List.of("thesis.tex"), Files.list(mine).map(p -> p.getFileName().toString()).toList());
        CliResult forced = CliResult.run("compare", a.toString(), b.toString(), "--out", mine.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertEquals("precious", Files.readString(mine.resolve("thesis.tex")));
        assertTrue(Files.isRegularFile(mine.resolve("compare.json")));
        // the comparison is its own folder now: rewriting it needs no --force
        assertEquals(0, CliResult.run("compare", a.toString(), b.toString(), "--out", mine.toString()).code());
    }
}
