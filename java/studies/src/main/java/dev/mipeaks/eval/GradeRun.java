package dev.mipeaks.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.AtomicFiles;
import dev.mipeaks.io.OutputPaths;
import dev.mipeaks.io.TextFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Grading a file of predictions against a dataset's ground truths ({@code mipeaks grade}): {@link #grade(Request)}
 * reads the predictions, grades them and, when {@link Request#out()} is set, writes the per-row verdicts and the
 * {@code summary.json} beside them.
 *
 * <p>Each line of the predictions is a JSON object with the text to grade in {@link Request#field()}
 * ({@code response}: a full model response, the answer is extracted; {@code prediction}: an already extracted
 * answer; null: whichever is present) and the dataset row it answers: {@code index} (0-based position in the
 * dataset file) if present, else {@code id} (MATH-500 unique_id, AIME id, GSM8K idx).
 *
 * <p>Each answer gets one time budget and answers over {@link Request#maxAnswerChars()} are not compared; either way
 * the verdict is wrong and its line says why in {@code reason} (null for decided answers), so a file of hostile
 * responses is graded to the end. Errors in the request or the files are {@link MipeaksException}s (exit 2) whose
 * messages name the option, file and line.
 */
public final class GradeRun {
    private GradeRun() {
    }

    /**
     * One grading.
     *
     * @param predictions    the JSONL file of predictions
     * @param dataset        math500, aime24, gsm8k (under {@code dataDir}) or a .jsonl/.csv file
     * @param dataDir        root of the named datasets (null: the loader's default)
     * @param fields         dataset field mapping such as {@code problem=question,answer=final} (null: none)
     * @param field          {@code response}, {@code prediction} or null (whichever a line holds)
     * @param out            per-row verdicts (JSONL), summary.json beside it; null: nothing written
     * @param casTimeout     seconds per symbolic comparison (strict rules)
     * @param cas            whether the strict rules may use the CAS
     * @param budget         seconds per answer, all stages together
     * @param maxAnswerChars longer answers (or ground truths) are not compared
     * @param threads        grading threads
     * @param rules          strict or paper
     */
    public record Request(Path predictions, String dataset, Path dataDir, String fields, String field, Path out,
                          double casTimeout, boolean cas, double budget, int maxAnswerChars, int threads,
                          GradingRules rules) {
    }

    /** The verdicts in the order of the predictions, their summary and the rule set that decided them. */
    public record Result(List<Graded> graded, GradeSummary summary, GradingRules rules) {
        /** The printed summary: accuracy by dataset, level and subject, then the rule set. */
        public String format() {
            return summary.format() + "  rules: " + rules.label() + System.lineSeparator();
        }
    }

    /** One prediction's dataset row and verdict. */
    public record Graded(long line, DatasetRecord record, Verdict verdict) {
    }

    private record Job(long line, DatasetRecord record, String text, boolean isResponse) {
    }

    /** Checks the request, grades every prediction and writes the outputs (atomically) when asked. */
    public static Result grade(Request r) throws Exception {
        check(r);
        DatasetLoader loader = new DatasetLoader();
        if (r.dataDir() != null) {
            loader = loader.withDataRoot(r.dataDir());
        }
        if (r.fields() != null) {
            loader = loader.withFields(r.fields());
        }
        GradingRules ruleSet = r.rules();
        Dataset ds = loader.load(r.dataset());
        if (r.out() != null) {
            Map<Path, String> inputs = Map.of(ds.source(), "--dataset");
            OutputPaths.requireFile("--out", r.out(), inputs);
            OutputPaths.requireFile("--out", summaryFile(r.out()), inputs);
        }
        List<Job> jobs = readPredictions(r, ds);

        MathGrader.Options opts = MathGrader.Options.defaults()
                .withCasTimeout(Duration.ofNanos(Math.max(1, Math.round(r.casTimeout() * 1e9))))
                .withCasWorkers(r.threads())
                .withCas(r.cas())
                .withBudget(Duration.ofNanos(Math.max(1, Math.round(r.budget() * 1e9))))
                .withMaxAnswerChars(r.maxAnswerChars());
        GradeSummary summary = new GradeSummary(ds.name());
        List<Graded> graded = new ArrayList<>();
        try (MathGrader grader = new MathGrader(opts);
             PaperGrader paper = ruleSet == GradingRules.PAPER
                     ? new PaperGrader(PaperGrader.Options.defaults().withCasWorkers(r.threads())) : null) {
            ExecutorService pool = Executors.newFixedThreadPool(r.threads(), runnable -> {
                Thread t = new Thread(runnable, "grade");
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
                    graded.add(new Graded(jobs.get(i).line(), jobs.get(i).record(), v));
                    summary.add(jobs.get(i).record(), v);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        Result result = new Result(List.copyOf(graded), summary, ruleSet);
        if (r.out() != null) {
            write(r.out(), result);
        }
        return result;
    }

    /** The checks made before anything is read: limits, the field, and --out against the predictions. */
    static void check(Request r) {
        if (r.threads() < 1) {
            throw MipeaksException.invalid("--threads must be >= 1, got " + r.threads());
        }
        if (!(r.casTimeout() > 0) || Double.isInfinite(r.casTimeout())) {
            throw MipeaksException.invalid("--cas-timeout must be a number of seconds > 0, got " + r.casTimeout());
        }
        if (!(r.budget() > 0) || Double.isInfinite(r.budget())) {
            throw MipeaksException.invalid("--budget must be a number of seconds > 0, got " + r.budget());
        }
        if (r.maxAnswerChars() < 1) {
            throw MipeaksException.invalid("--max-answer-chars must be >= 1, got " + r.maxAnswerChars());
        }
        String field = r.field();
        if (field != null && !field.equals("response") && !field.equals("prediction")) {
            throw MipeaksException.invalid("--field must be response or prediction, got '" + field + "'");
        }
        if (r.rules() == null) {
            throw MipeaksException.invalid("--rules null: expected strict or paper");
        }
        Path out = r.out();
        if (out != null) {
            // neither verdicts.jsonl nor the summary.json beside it may replace an input
            Map<Path, String> inputs = Map.of(r.predictions(), "--predictions");
            if (out.getFileName() != null && out.getFileName().toString().equals("summary.json")) {
                throw MipeaksException.invalid("--out " + out + ": summary.json is the name of the summary written "
                        + "beside --out; give the verdicts another name");
            }
            OutputPaths.requireFile("--out", out, inputs);
            OutputPaths.requireFile("--out", summaryFile(out), inputs);
        }
    }

    private static List<Job> readPredictions(Request r, Dataset ds) throws IOException {
        Path predictions = r.predictions();
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
                DatasetRecord rec = match(predictions, ds, row, line);
                if (!seen.add(rec.index())) {
                    throw MipeaksException.invalid(predictions + ":" + line + ": a second prediction for dataset row "
                            + rec.index() + " (id " + rec.id() + ")");
                }
                if (rec.answer() == null) {
                    throw MipeaksException.invalid(ds.source() + ": row " + rec.index() + " has no answer to grade against");
                }
                String field = r.field();
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

    private static DatasetRecord match(Path predictions, Dataset ds, Map<?, ?> row, long line) {
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

    /** summary.json, beside the verdicts file {@code out}. */
    public static Path summaryFile(Path out) {
        return out.toAbsolutePath().normalize().resolveSibling("summary.json");
    }

    private static void write(Path out, Result result) throws IOException {
        ObjectMapper json = new ObjectMapper();
        String rules = result.rules().label();
        AtomicFiles.write(out, os -> {
            for (Graded g : result.graded()) {
                DatasetRecord r = g.record();
                Verdict v = g.verdict();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", r.index());
                m.put("id", r.id());
                m.put("prediction", v.prediction());
                m.put("answer", v.groundTruth());          // the ground truth (one name across outputs)
                m.put("correct", v.correct());
                m.put("rules", rules);
                m.put("rule", v.rule().label());
                m.put("extraction", v.extraction().name().toLowerCase(Locale.ROOT));
                m.put("reason", v.reason());
                m.put("subject", r.subject());
                m.put("level", r.level());
                os.write(json.writeValueAsBytes(m));
                os.write('\n');
            }
        });
        Map<String, Object> sj = new LinkedHashMap<>(result.summary().toJson());
        sj.put("rules", rules);
        AtomicFiles.writeString(summaryFile(out),
                json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(sj) + "\n");
    }
}
