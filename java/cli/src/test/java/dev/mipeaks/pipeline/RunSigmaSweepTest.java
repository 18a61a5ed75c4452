package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.CliResult;
import dev.mipeaks.analysis.RunLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --sigma 50,100,200}: MI at the first width while generating, then the sweep from the stored states. */
class RunSigmaSweepTest {
    @TempDir
    Path tmp;

    @Test
    void aSigmaListRunsAtTheFirstWidthAndSweepsTheStoredStates() throws Exception {
        Path model = PipelineRuns.demoModel(tmp.resolve("model"));
        Path data = PipelineRuns.demoProblems(tmp.resolve("p.jsonl"), 2);
        Path out = tmp.resolve("run");
        CliResult r = CliResult.run("run", "--model", model.toString(), "--dataset", data.toString(),
                "--max-new-tokens", "12", "--threads", "1", "--layers", "0,3", "--sigma", "50,100,200",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sigma sweep [50, 100, 200]"), r.out());
        JsonNode config = new ObjectMapper().readTree(out.resolve(RunLayout.CONFIG).toFile());
        assertEquals(50.0, config.get("params").get("sigma").asDouble(), "the run's MI uses the first width");
        JsonNode sweep = new ObjectMapper().readTree(out.resolve(RunLayout.SIGMA_SWEEP).toFile());
        assertTrue(sweep.toString().contains("100") && sweep.toString().contains("200"), sweep.toString());
        // the sweep's width-50 MI is the run's own MI, recomputed from the stored states
        for (String f : PipelineRuns.problemFiles(out)) {
            if (f.endsWith(".safetensors")) {
                PipelineRuns.recomputeAndCheck(out.resolve(RunLayout.PROBLEMS_DIR).resolve(f), new int[] {0, 3}, Map.of("sigma", "50"));
            }
        }
        assertTrue(Files.exists(out.resolve(RunLayout.THINKING_TOKENS)));
    }
}
