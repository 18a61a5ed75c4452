package dev.mipeaks.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.eval.Dataset;
import dev.mipeaks.eval.DatasetLoader;
import dev.mipeaks.eval.DatasetRecord;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.eval.MathGrader;
import dev.mipeaks.eval.Verdict;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.io.OutputPaths;
import dev.mipeaks.io.TextFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mipeaks grade}: grades model predictions against a dataset's ground truths.
 *
 * <p>Each line of --predictions is a JSON object with the text to grade in --field ({@code response}: a full model
 * response, the answer is extracted; {@code prediction}: an already extracted answer; default: whichever is present)
 * and the dataset row it answers: {@code index} (0-based position in the dataset file) if present, else {@code id}
 * (MATH-500 unique_id, AIME id, GSM8K idx).
 *
 * <p>Each answer gets one time budget ({@code --budget}) and answers over {@code --max-answer-chars} are not
 * compared; either way the verdict is wrong and its line says why in {@code reason} (null for decided answers), so
 * a file of hostile responses is graded to the end.
 */
@Command(name = "grade", mixinStandardHelpOptions = true,
        description = "Grade predictions (JSONL) against a dataset's answers; print accuracy by dataset, level, subject.")
public final class GradeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--predictions", required = true, paramLabel = "FILE.jsonl",
            description = "One JSON object per line: index or id, and the response or prediction text.")
    Path predictions;

    @Option(names = "--dataset", required = true, paramLabel = "NAME|PATH",
            description = "math500, aime24, gsm8k (under --data-dir) or a .jsonl/.csv file.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Root of the named datasets (default: $MIPEAKS_DATA, else ../shared/data).")
    Path dataDir;

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

    @Option(names = "--rules", defaultValue = "strict", paramLabel = "strict|paper",
            description = {"strict (default): this project's grader. paper: the reference code's Qwen2.5-Math grader",
                    "(numbers within a relative 1e-4, percent x100 and /100, brackets ignored, its extraction order),",
                    "3 s per answer; --cas-timeout and --no-cas apply to strict only."})
    String rules;

    private record Job(long line, DatasetRecord record, String text, boolean isResponse) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (threads < 1) {
            throw MipeaksException.invalid("--threads must be >= 1, got " + threads);
        }
        if (!(casTimeout > 0) || Double.isInfinite(casTimeout)) {
            throw MipeaksException.invalid("--cas-timeout must be a number of seconds > 0, got " + casTimeout);
        }
        if (!(budget > 0) || Double.isInfinite(budget)) {
            throw MipeaksException.invalid("--budget must be a number of seconds > 0, got " + budget);
        }
        if (maxAnswerChars < 1) {
            throw MipeaksException.invalid("--max-answer-chars must be >= 1, got " + maxAnswerChars);
        }
        if (field != null && !field.equals("response") && !field.equals("prediction")) {
            throw MipeaksException.invalid("--field must be response or prediction, got '" + field + "'");
        }
        if (out != null) {
            // neither verdicts.jsonl nor the summary.json beside it may replace an input
            Map<Path, String> inputs = Map.of(predictions, "--predictions");
            if (out.getFileName() != null && out.getFileName().toString().equals("summary.json")) {
                throw MipeaksException.invalid("--out " + out + ": summary.json is the name of the summary written "
                        + "beside --out; give the verdicts another name");
            }
            OutputPaths.requireFile("--out", out, inputs);
            OutputPaths.requireFile("--out", summaryFile(), inputs);
        }
        DatasetLoader loader = new DatasetLoader();
        if (dataDir != null) {
            loader = loader.withDataRoot(dataDir);
        }
        if (fields != null) {
            loader = loader.withFields(fields);
        }
        dev.mipeaks.eval.GradingRules ruleSet = dev.mipeaks.eval.GradingRules.parse(rules, "--rules");
        Dataset ds = loader.load(dataset);
        if (out != null) {
            Map<Path, String> inputs = Map.of(ds.source(), "--dataset");
            OutputPaths.requireFile("--out", out, inputs);
            OutputPaths.requireFile("--out", summaryFile(), inputs);
        }
        List<Job> jobs = readPredictions(ds);

        MathGrader.Options opts = MathGrader.Options.defaults()
                .withCasTimeout(Duration.ofNanos(Math.max(1, Math.round(casTimeout * 1e9))))
                .withCasWorkers(threads)
                .withCas(!noCas)
                .withBudget(Duration.ofNanos(Math.max(1, Math.round(budget * 1e9))))
                .withMaxAnswerChars(maxAnswerChars);
        GradeSummary summary = new GradeSummary(ds.name());
        List<Verdict> verdicts = new ArrayList<>();
        try (MathGrader grader = new MathGrader(opts);
             dev.mipeaks.eval.PaperGrader paper = ruleSet == dev.mipeaks.eval.GradingRules.PAPER
                     ? new dev.mipeaks.eval.PaperGrader(dev.mipeaks.eval.PaperGrader.Options.defaults()
                     .withCasWorkers(threads)) : null) {
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "grade");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Verdict>> fs = new ArrayList<>();
                for (Job j : jobs) {
                    fs.add(pool.submit(() -> paper != null
                            ? (j.isResponse() ? paper.grade(j.text(), j.record().answer())
                            : paper.compare(j.text(), j.record().answer()))
                            : j.isResponse() ? grader.grade(j.text(), j.record().answer())
                            : grader.compare(j.text(), j.record().answer())));
                }
                for (int i = 0; i < jobs.size(); i++) {
                    Verdict v;
                    try {
                        v = fs.get(i).get();
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof Exception ex ? ex : e;
                    }
                    verdicts.add(v);
                    summary.add(jobs.get(i).record(), v);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        if (out != null) {
            writeOutputs(jobs, verdicts, summary, ruleSet);
        }
        o.print(summary.format());
        o.println("  rules: " + ruleSet.label());
        o.flush();
        return 0;
    }

    private List<Job> readPredictions(Dataset ds) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Job> jobs = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        if (!Files.isRegularFile(predictions)) {
            throw MipeaksException.invalid(predictions + ": no such file");
        }
        try (BufferedReader br = new BufferedReader(new StringReader(TextFiles.readUtf8(predictions)))) {
            String s;
            long line = 0;
            while ((s = br.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                Map<?, ?> row;
                try {
                    Object v = json.readValue(s, Object.class);
                    if (!(v instanceof Map<?, ?> m)) {
                        throw MipeaksException.invalid(predictions + ":" + line + ": expected a JSON object");
                    }
                    row = m;
                } catch (JsonProcessingException e) {
                    throw MipeaksException.invalid(predictions + ":" + line + ": invalid JSON: " + e.getOriginalMessage());
                }
                DatasetRecord rec = match(ds, row, line);
                if (!seen.add(rec.index())) {
                    throw MipeaksException.invalid(predictions + ":" + line + ": a second prediction for dataset row "
                            + rec.index() + " (id " + rec.id() + ")");
                }
                if (rec.answer() == null) {
                    throw MipeaksException.invalid(ds.source() + ": row " + rec.index() + " has no answer to grade against");
                }
                String f = field != null ? field : row.containsKey("response") ? "response" : "prediction";
                if (!row.containsKey(f)) {
                    throw MipeaksException.invalid(predictions + ":" + line + ": no field '" + f + "'"
                            + (field == null ? " (nor 'response')" : ""));
                }
                Object text = row.get(f);
                jobs.add(new Job(line, rec, text == null ? null : text.toString(), f.equals("response")));
            }
        }
        return jobs;
    }

    private DatasetRecord match(Dataset ds, Map<?, ?> row, long line) {
        Object idx = row.get("index");
        if (idx != null) {
            if (!(idx instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw MipeaksException.invalid(predictions + ":" + line + ": index must be an integer, got " + idx);
            }
            return ds.byIndex(n.intValue()).orElseThrow(() -> MipeaksException.invalid(predictions + ":" + line
                    + ": index " + idx + " is not a row of " + ds.name() + " (" + ds.size() + " rows loaded)"));
        }
        Object id = row.get("id");
        if (id != null) {
            String key = id instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                    ? Long.toString(n.longValue()) : id.toString();
            return ds.byId(key).orElseThrow(() -> MipeaksException.invalid(predictions + ":" + line
                    + ": id '" + key + "' is not in " + ds.name()));
        }
        throw MipeaksException.invalid(predictions + ":" + line + ": no 'index' or 'id' to match a dataset row");
    }

    /** summary.json, beside --out. */
    private Path summaryFile() {
        return out.toAbsolutePath().normalize().resolveSibling("summary.json");
    }

    private void writeOutputs(List<Job> jobs, List<Verdict> verdicts, GradeSummary summary,
                              dev.mipeaks.eval.GradingRules ruleSet) throws IOException {
        ObjectMapper json = new ObjectMapper();
        AtomicFiles.write(out, os -> {
            for (int i = 0; i < jobs.size(); i++) {
                DatasetRecord r = jobs.get(i).record();
                Verdict v = verdicts.get(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", r.index());
                m.put("id", r.id());
                m.put("prediction", v.prediction());
                m.put("answer", v.groundTruth());          // the ground truth (one name across outputs)
                m.put("correct", v.correct());
                m.put("rules", ruleSet.label());
                m.put("rule", v.rule().label());
                m.put("extraction", v.extraction().name().toLowerCase(java.util.Locale.ROOT));
                m.put("reason", v.reason());
                m.put("subject", r.subject());
                m.put("level", r.level());
                os.write(json.writeValueAsBytes(m));
                os.write('\n');
            }
        });
        Map<String, Object> sj = new LinkedHashMap<>(summary.toJson());
        sj.put("rules", ruleSet.label());
        AtomicFiles.writeString(summaryFile(),
                json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(sj) + "\n");
    }
}
