package dev.mipeaks.cli;

import dev.mipeaks.eval.GradeRun;
import dev.mipeaks.eval.GradingRules;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mipeaks grade}: grades model predictions against a dataset's ground truths ({@link GradeRun}: the format of
 * --predictions, the time budget per answer, the verdicts and summary.json written beside --out).
 */
@Command(name = "grade", mixinStandardHelpOptions = true,
        description = "Grade predictions (JSONL) against a dataset's answers; print accuracy by dataset, level, subject.")
public final class GradeCommand extends CommandBase {

    @Option(names = "--predictions", required = true, paramLabel = "FILE.jsonl",
            description = "One JSON object per line: index or id, and the response or prediction text.")
    Path predictions;

    @CommandLine.Mixin
    DatasetOptions data;

    @Option(names = "--fields", paramLabel = "MAP", description = "Dataset field mapping, e.g. problem=question,answer=final.")
    String fields;

    @Option(names = "--field", paramLabel = "response|prediction",
            description = "Prediction field: response (extract the answer) or prediction (already extracted). Default: auto.")
    String field;

    @Option(names = "--out", paramLabel = "verdicts.jsonl", description = "Per-row verdicts; summary.json is written beside it.")
    Path out;

    @Option(names = "--cas-timeout", defaultValue = "2.0", paramLabel = "SECONDS",
            description = "Time limit per symbolic comparison; past it the answer counts as wrong (default: ${DEFAULT-VALUE}).")
    double casTimeout;

    @Option(names = "--no-cas", description = "Only string, number, structure and equation rules.")
    boolean noCas;

    @Option(names = "--budget", defaultValue = "10.0", paramLabel = "SECONDS",
            description = "Time limit per answer for extraction, normalisation, comparison and the CAS together; past it "
                    + "the answer counts as wrong, rule timeout, with the stage in 'reason' (default: ${DEFAULT-VALUE}).")
    double budget;

    @Option(names = "--max-answer-chars", defaultValue = "10000", paramLabel = "N",
            description = "Longer extracted answers (or ground truths) are not compared: wrong, rule undecided, with the "
                    + "reason (default: ${DEFAULT-VALUE}).")
    int maxAnswerChars;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Grading threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--rules", defaultValue = "strict", paramLabel = "strict|paper", converter = GradingRulesConverter.class,
            description = {"strict (default): this project's grader. paper: the reference code's Qwen2.5-Math grader",
                    "(numbers within a relative 1e-4, percent x100 and /100, brackets ignored, its extraction order),",
                    "3 s per answer; --cas-timeout and --no-cas apply to strict only."})
    GradingRules rules;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = out();
        GradeRun.Result result = GradeRun.grade(new GradeRun.Request(predictions, data.dataset, data.dataDir, fields, field, out,
                casTimeout, !noCas, budget, maxAnswerChars, threads, rules));
        o.print(result.format());
        o.flush();
        return 0;
    }
}
