package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.CliResult;
import dev.mipeaks.analysis.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mipeaks demo}: the whole pipeline with nothing downloaded, saying everywhere that the weights are random. */
class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void demoRunsThePipelineAndSaysTheModelIsRandom() throws IOException {
        Path out = tmp.resolve("demo");
        CliResult r = CliResult.run("demo", "--out", out.toString(), "--max-new-tokens", "8", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith(DemoRun.NOTICE), r.out());
        assertTrue(r.out().contains("NOTE: " + DemoRun.NOTICE), r.out());
        assertTrue(r.out().contains("report: " + out.toAbsolutePath().normalize().resolve(RunLayout.REPORT)), r.out());
        String report = Files.readString(out.resolve(RunLayout.REPORT));
        assertTrue(report.contains("random weights"), report);
        assertTrue(Files.readString(out.resolve("model/config.json")).contains("mipeaks_demo_model"));
        List<String> manifest = Files.readAllLines(out.resolve(RunLayout.MANIFEST));
        assertEquals(6, manifest.size(), "the six shipped problems");
        for (String f : List.of(RunLayout.PEAKS, RunLayout.STATS, RunLayout.THINKING_TOKENS, "plots/trajectories.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        // every layer of the demo model, MI equal to the CPU estimator on the stored states
        PipelineRuns.recomputeAndCheck(out.resolve(RunLayout.problemTensors(0)), new int[] {0, 1, 2, 3},
                java.util.Map.of("sigma", "50"));

        // a second demo into the same folder reuses the model and the finished problems
        long modelTime = Files.getLastModifiedTime(out.resolve("model/model.safetensors")).toMillis();
        CliResult again = CliResult.run("demo", "--out", out.toString(), "--max-new-tokens", "8", "--threads", "2");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("6 finished before, 0 to do"), again.err());
        assertEquals(modelTime, Files.getLastModifiedTime(out.resolve("model/model.safetensors")).toMillis());
    }
}
