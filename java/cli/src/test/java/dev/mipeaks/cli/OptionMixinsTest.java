package dev.mipeaks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The option mixins (DatasetOptions, ProblemRangeOptions, EstimatorOptions, OutputOptions, SamplingOptions,
 * ModelSourceOption, ModelPlacementOptions, ThreadsOption, LibTorchOptions, PeakRuleOptions): each shared option has
 * one wording and one default on every command that takes it.
 */
class OptionMixinsTest {
    private static final CommandLine CL = Main.commandLine(new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));

    private static void sameEverywhere(String option, List<String> commands, boolean required, String defaultValue) {
        OptionSpec first = null;
        for (String c : commands) {
            OptionSpec o = CL.getSubcommands().get(c).getCommandSpec().findOption(option);
            assertNotNull(o, c + " lacks " + option);
            assertEquals(required, o.required(), c + " " + option + " required");
            assertEquals(defaultValue, o.defaultValue(), c + " " + option + " default");
            if (first == null) {
                first = o;
            } else {
                assertEquals(List.of(first.description()), List.of(o.description()), c + " " + option + " wording");
                assertEquals(first.paramLabel(), o.paramLabel(), c + " " + option + " label");
            }
        }
    }

    @Test
    void datasetRangeEstimatorAndRunFolderOptionsAreDeclaredOnce() {
        List<String> datasets = List.of("run", "suppress", "rr", "ttts", "grade");
        sameEverywhere("--dataset", datasets, true, null);
        sameEverywhere("--data-dir", datasets, false, null);
        List<String> ranges = List.of("run", "suppress", "rr", "ttts");
        sameEverywhere("--offset", ranges, false, "0");
        sameEverywhere("--limit", ranges, false, null);
        List<String> estimators = List.of("run", "estimate");
        sameEverywhere("--estimator", estimators, false, "nhsic");
        for (String o : List.of("--eps", "--tol", "--param")) {
            sameEverywhere(o, estimators, false, null);
        }
        List<String> samplers = List.of("run", "trace", "suppress");
        sameEverywhere("--temperature", samplers, false, "0");
        sameEverywhere("--top-p", samplers, false, "1");
        List<String> runFolders = List.of("run", "merge", "rr", "ttts");
        sameEverywhere("--out", runFolders, true, null);
        sameEverywhere("--force", runFolders, false, null);
    }

    @Test
    void modelThreadsSeedAndPeakRuleOptionsAreDeclaredOnce() {
        List<String> models = List.of("run", "trace", "suppress", "rr", "ttts");
        sameEverywhere("--model", models, true, null);
        sameEverywhere("--dtype", models, false, null);
        sameEverywhere("--threads", List.of("run", "demo", "peaks", "estimate", "trace", "suppress", "lens", "rr",
                "ttts"), false, null);
        sameEverywhere("--javacpp-cache", List.of("run", "demo", "trace", "lens"), false, null);
        sameEverywhere("--seed", List.of("run", "trace", "suppress"), false, "0");
        List<String> peakRules = List.of("peaks", "report", "compare", "run", "merge", "demo", "lens");
        sameEverywhere("--top-k", peakRules, false, "20");
        sameEverywhere("--rule", peakRules, false, "both");
        sameEverywhere("--include-special", peakRules, false, null);
    }

    @Test
    void estimatorParametersPutTheNamedOptionsOverParam() {
        EstimatorOptions e = new EstimatorOptions();
        e.params.put("sigma", "7");
        e.params.put("k", "3");
        e.eps = "1e-3";
        assertEquals(Map.of("sigma", "100", "k", "3", "eps", "1e-3"), e.params("100"));
        assertEquals(Map.of("sigma", "7", "k", "3", "eps", "1e-3"), e.params(null));
        assertTrue(new EstimatorOptions().params(null).isEmpty());
    }

    @Test
    void theProblemRangeChecksItsLimit() {
        ProblemRangeOptions r = new ProblemRangeOptions();
        assertEquals(-1, r.limit());
        r.limit = 3;
        assertEquals(3, r.limit());
        r.limit = -2;
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.mipeaks.MipeaksException.class, r::limit);
        assertTrue(e.getMessage().startsWith("--limit -2: must be >= 0"), e.getMessage());
    }
}
