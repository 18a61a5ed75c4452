package dev.mipeaks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.OutputPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options {@code rr} and {@code ttts} share (a picocli mixin). */
public final class ScalingCliOptions {
    @picocli.CommandLine.Mixin
    ModelSourceOption model;

    @picocli.CommandLine.Mixin
    DatasetOptions data;

    @picocli.CommandLine.Mixin
    ProblemRangeOptions range;

    @Option(names = "--prompt-template", paramLabel = "NAME", defaultValue = "deepseek-math",
            description = "Prompt template: " + dev.mipeaks.eval.Prompts.NAMES_HELP + " (default: ${DEFAULT-VALUE}).")
    String promptTemplate;

    @Option(names = "--rules", paramLabel = "strict|paper", defaultValue = "strict", converter = GradingRulesConverter.class,
            description = {"Grading rules of the headline accuracy and each line's 'correct' (default: ${DEFAULT-VALUE}):",
                    "strict = this project's grader, paper = the reference's Qwen2.5-Math grader. Every answer is graded",
                    "under both; the reports show both side by side."})
    dev.mipeaks.eval.GradingRules rules;

    @picocli.CommandLine.Mixin
    ModelOptions runtime;

    @picocli.CommandLine.Mixin
    OutputOptions output;

    /** Checks and native set-up; returns the context options. */
    dev.mipeaks.scaling.ScalingContext.Options prepare(PrintWriter err) {
        if (range.offset < 0) {
            throw MipeaksException.invalid("--offset " + range.offset + ": must be >= 0");
        }
        int l = range.limit();
        var source = model.resolve();
        OutputPaths.requireNotInput("--out", output.out, Map.of(source.dir(), "--model"));
        runtime.prepare(err);
        return new dev.mipeaks.scaling.ScalingContext.Options(source, data.dataset, data.dataDir, range.offset, l,
                promptTemplate, runtime.device, runtime.placement.layersPerDevice, runtime.placement.dtype, runtime.memoryCheck(),
                output.force, rules);
    }

    /** config.json's informational block: when, how invoked, which slice (never compared on resume). */
    ObjectNode info(CommandSpec spec) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("started", Instant.now().toString());
        ArrayNode args = o.putArray("args");
        List<String> orig = spec.commandLine().getParseResult() == null ? List.of()
                : spec.commandLine().getParseResult().originalArgs();
        orig.forEach(args::add);
        o.put("offset", range.offset);
        o.put("limit", range.limit == null ? -1 : range.limit);
        return o;
    }
}
