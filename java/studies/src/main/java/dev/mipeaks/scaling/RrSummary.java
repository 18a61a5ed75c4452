package dev.mipeaks.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.study.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an RR run folder's metrics.json and report.md (dev.mipeaks.report.RrReport) say, rebuilt from every line of
 * results.jsonl: accuracy, recycling counts, warnings when the triggers cannot or did not fire, and (given a greedy
 * baseline folder) recycled against greedy on the problems both ran.
 */
public final class RrSummary {
    private RrSummary() {
    }

    /** config.json's run_info field listing the trigger words that gave no id. */
    static final String WORDS_WITHOUT_ID = "trigger_words_without_id";

    /** Config fields a baseline folder must share with the recycled run (what decides greedy outputs). */
    static final List<String> BASELINE_FIELDS = List.of("model", "model_type", "dataset", "dataset_file",
            "prompt_template", "dtype", "decoding", "max_new_tokens");

    /**
     * A greedy baseline: an {@code rr --probability 0} folder on the same model, data and settings.
     *
     * @param lines its results.jsonl lines by dataset index
     */
    public record Baseline(Path dir, Map<Integer, JsonNode> lines) {
        /** Reads {@code dir} (config.json and results.jsonl, a torn last line ignored) and checks it against cfg. */
        public static Baseline open(Path dir, ObjectNode cfg) {
            Path c = dir.resolve(RunFolder.CONFIG);
            if (!Files.isRegularFile(c)) {
                throw MipeaksException.invalid("--baseline " + dir + ": not an rr output folder (no " + RunFolder.CONFIG + ")");
            }
            JsonNode bc;
            try {
                bc = RunFolder.JSON.readTree(c.toFile());
            } catch (IOException e) {
                throw MipeaksException.invalid(c + ": invalid JSON (" + e.getMessage() + ")");
            }
            if (!"rr".equals(bc.path("command").asText())) {
                throw MipeaksException.invalid("--baseline " + dir + ": not an rr output folder (" + c
                        + " has no \"command\": \"rr\")");
            }
            if (bc.path("probability").asDouble(-1) != 0) {
                throw MipeaksException.invalid("--baseline " + dir + ": field 'probability' is "
                        + bc.path("probability") + " (a greedy baseline is rr --probability 0)");
            }
            for (String f : BASELINE_FIELDS) {
                String a = String.valueOf(bc.get(f));
                String b = String.valueOf(cfg.get(f));
                if (!a.equals(b)) {
                    throw MipeaksException.invalid("--baseline " + dir + ": field '" + f + "' is " + a
                            + " there but " + b + " in this run (not a baseline of the same setting)");
                }
            }
            Map<Integer, JsonNode> lines = new TreeMap<>();
            for (JsonNode n : RunFolder.readLines(dir.resolve(RunFolder.RESULTS), null)) {
                lines.put(n.path("index").asInt(), n);
            }
            return new Baseline(dir, lines);
        }
    }

    /**
     * Recycled against greedy on the problems both folders finished, both graded under {@code rules} (a line of an
     * older run without by_rules counts with its own verdict).
     *
     * @param identical problems whose generated token ids are the same in both (recycling changed nothing)
     */
    public record Comparison(Path baseline, int problems, int recycledCorrect, int greedyCorrect, int onlyRecycled,
                             int onlyGreedy, int identical, long recycledTokens, long greedyTokens) {
    }

    static Comparison compare(List<JsonNode> lines, Baseline b, GradingRules rules) {
        List<JsonNode> shared = lines.stream().filter(l -> b.lines().containsKey(l.path("index").asInt())).toList();
        List<JsonNode> greedy = shared.stream().map(l -> b.lines().get(l.path("index").asInt())).toList();
        boolean[] r = correct(shared, rules);
        boolean[] g = correct(greedy, rules);
        int[] counts = new int[4]; // recycled correct, greedy correct, only recycled, only greedy
        int same = 0;
        for (int i = 0; i < r.length; i++) {
            counts[0] += r[i] ? 1 : 0;
            counts[1] += g[i] ? 1 : 0;
            counts[2] += r[i] && !g[i] ? 1 : 0;
            counts[3] += g[i] && !r[i] ? 1 : 0;
            same += shared.get(i).path("token_ids").equals(greedy.get(i).path("token_ids")) ? 1 : 0;
        }
        return new Comparison(b.dir(), shared.size(), counts[0], counts[1], counts[2], counts[3], same,
                generated(shared), generated(greedy));
    }

    private static boolean[] correct(List<JsonNode> lines, GradingRules rules) {
        boolean[] out = new boolean[lines.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = headline(lines.get(i), rules).path("correct").asBoolean();
        }
        return out;
    }

    private static long generated(List<JsonNode> lines) {
        return lines.stream().mapToLong(l -> l.path("generated_tokens").asLong()).sum();
    }

    /**
     * What a reader must know about the triggers: most words without an id ({@link #mappingWarning}), triggers
     * that never came up, or came up but were never recycled ({@link #firingWarning}).
     */
    static List<String> warnings(ObjectNode cfg, Totals t) {
        List<String> out = new ArrayList<>();
        String m = mappingWarning(cfg);
        if (m != null) {
            out.add(m);
        }
        String f = firingWarning(cfg, t);
        if (f != null) {
            out.add(f);
        }
        return out;
    }

    /** More than half of the trigger words gave no id (recorded in config.json's run_info), or null. */
    static String mappingWarning(ObjectNode cfg) {
        int words = cfg.path("trigger_words").size();
        JsonNode noId = cfg.path(RunFolder.INFO).path(WORDS_WITHOUT_ID);
        if (words == 0 || 2 * noId.size() <= words) {
            return null;
        }
        List<String> w = new ArrayList<>();
        noId.forEach(x -> w.add(dev.mipeaks.analysis.TokenText.quote(x.asText())));
        return noId.size() + " of " + words + " trigger words have no single-token id in this model's vocabulary ("
                + String.join(", ", w) + ")";
    }

    /** With p > 0: the triggers never came up (the run is greedy decoding), or were never recycled; else null. */
    static String firingWarning(ObjectNode cfg, Totals t) {
        double p = cfg.path("probability").asDouble();
        if (p > 0 && t.problems() > 0 && t.candidates() == 0) {
            return "the triggers never fired: no generated step's candidate token was a trigger id, so this run is "
                    + "plain greedy decoding (the same as --probability 0)";
        }
        if (p > 0 && t.candidates() > 0 && t.recycled() == 0) {
            return "the triggers came up " + t.candidates() + " times but no step was recycled (probability " + p + ")";
        }
        return null;
    }

    /** Totals over the folder's finished problems; {@code summary} is the headline rules' ({@code rules}). */
    public record Totals(int problems, long generated, long recycled, long candidates, double decodeSeconds,
                        GradeSummary summary, Map<String, Integer> stopReasons, GradingRules rules,
                        Map<GradingRules, GradeSummary> byRules) {
        public long regular() {
            return generated - recycled;
        }

        public double tokensPerSecond() {
            return decodeSeconds > 0 ? generated / decodeSeconds : 0;
        }
    }

    public static Totals totals(List<JsonNode> lines, String dataset) {
        return totals(lines, dataset, GradingRules.STRICT);
    }

    public static Totals totals(List<JsonNode> lines, String dataset, GradingRules rules) {
        Map<GradingRules, GradeSummary> s = Grading.summaries(dataset);
        long gen = 0;
        long rec = 0;
        long cand = 0;
        double secs = 0;
        Map<String, Integer> stops = new TreeMap<>();
        for (JsonNode l : lines) {
            Grading.add(s, l, l);
            gen += l.path("generated_tokens").asLong();
            rec += l.path("recycled_steps").asLong();
            cand += l.path("trigger_candidates").asLong();
            secs += (l.path("prefill_ms").asDouble() + l.path("decode_ms").asDouble()) / 1e3;
            stops.merge(l.path("stop_reason").asText(), 1, Integer::sum);
        }
        return new Totals(lines.size(), gen, rec, cand, secs, s.get(rules), stops, rules, s);
    }

    /**
     * What metrics.json and report.md are written from: the folder's finished lines (by index), their totals, the
     * greedy-baseline comparison (null without one) and the trigger warnings.
     */
    public record Finished(ObjectNode cfg, List<JsonNode> lines, Totals totals, Comparison comparison,
                           List<String> warnings) {
    }

    /** Rebuilds a folder's totals, comparison and warnings from every line of its results.jsonl. */
    static Finished finish(RunFolder folder, ObjectNode cfg, GradingRules rules, Baseline baseline) throws IOException {
        List<JsonNode> lines = new ArrayList<>(folder.lines(RunFolder.RESULTS));
        lines.sort(Comparator.comparingInt(l -> l.path("index").asInt()));
        Totals t = totals(lines, cfg.path("dataset").asText(), rules);
        Comparison cmp = baseline == null ? null : compare(lines, baseline, rules);
        return new Finished(cfg, lines, t, cmp, warnings(cfg, t));
    }

    /** The line's verdict fields under {@code rules} (the line itself for a line of an older run). */
    public static JsonNode headline(JsonNode line, GradingRules rules) {
        JsonNode by = line.path(dev.mipeaks.eval.VerdictFields.BY_RULES).get(rules.label());
        return by != null ? by : line;
    }
}
