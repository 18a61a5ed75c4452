package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Opens run folders (see {@link RunLayout}) and validates what it reads. Errors are one line naming the file and the
 * field: a folder without config.json, a problem whose tokens and MI lengths differ, a NaN in an MI trajectory.
 */
public final class RunReader {
    private RunReader() {
    }

    /** Opens a run: reads config.json and manifest.jsonl; problem files are read on demand by {@link RunData}. */
    public static RunData open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw MipeaksException.invalid(dir + ": not a run folder (no such directory)");
        }
        Path configFile = dir.resolve(RunLayout.CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw MipeaksException.invalid(dir + ": not a run folder (no " + RunLayout.CONFIG + ")");
        }
        JsonNode raw = JsonFields.readFile(configFile);
        String kind = otherKind(raw);
        if (kind != null) {
            throw MipeaksException.invalid(dir + ": not an MI run folder (it holds " + kind + "; its report is "
                    + dir.resolve(RunLayout.REPORT) + "); peaks, report, lens and compare read folders written by "
                    + "run, merge or demo");
        }
        RunConfig config = readConfig(configFile);
        List<ManifestEntry> manifest = readManifest(dir.resolve(RunLayout.MANIFEST));
        return new RunData(dir, config, manifest);
    }

    /**
     * What another command's output folder holds ("the output of `mipeaks rr`"), or null when config.json looks like
     * an MI run's (it has 'layers', or names no other command).
     */
    static String otherKind(JsonNode config) {
        JsonNode cmd = config.get("command");
        if (cmd != null && cmd.isTextual() && !config.has("layers")) {
            return "the output of `mipeaks " + cmd.asText() + "`";
        }
        if (!config.has("layers") && config.has("control") && config.has("tokens")) {
            return "the output of `mipeaks suppress`";
        }
        if (!config.has("layers") && !config.has("estimator")) {
            return "a config.json without 'layers' or 'estimator'";
        }
        return null;
    }

    static RunConfig readConfig(Path file) {
        JsonNode n = JsonFields.readFile(file);
        String w = file.toString();
        int[] layers = JsonFields.intArray(n, "layers", w);
        if (layers.length == 0) {
            throw MipeaksException.invalid(w + ": field 'layers' is empty");
        }
        List<Integer> layerList = new ArrayList<>();
        for (int l : layers) {
            if (layerList.contains(l)) {
                throw MipeaksException.invalid(w + ": field 'layers' lists layer " + l + " twice");
            }
            layerList.add(l);
        }
        Map<String, Object> params = new TreeMap<>();
        JsonNode p = n.get("params");
        if (p != null && !p.isNull()) {
            if (!p.isObject()) {
                throw MipeaksException.invalid(w + ": field 'params' must be an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                params.put(e.getKey(), v.isNumber() ? (Object) v.asDouble() : v.asText());
            }
        }
        JsonNode mnt = n.get("max_new_tokens");
        int maxNew = mnt == null || mnt.isNull() ? -1 : JsonFields.integer(n, "max_new_tokens", w);
        return new RunConfig(
                JsonFields.text(n, "model", w),
                JsonFields.optText(n, "dataset", w),
                layerList,
                JsonFields.text(n, "estimator", w),
                params,
                maxNew,
                JsonFields.optText(n, "prompt_template", w),
                JsonFields.optText(n, "created", w),
                (ObjectNode) n);
    }

    /**
     * Reads manifest.jsonl (absent: no finished problem yet). A last line without a newline that does not parse is
     * the trace of an interrupted append and is ignored; any other bad line is an error naming the line.
     */
    static List<ManifestEntry> readManifest(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = TextFiles.readUtf8(file);
        String[] lines = text.split("\n", -1);
        Map<Integer, ManifestEntry> byIndex = new TreeMap<>();
        // split with limit -1 leaves "" after a final newline; anything else there is an unfinished line
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode n;
            try {
                n = JsonFields.parse(file, line, i + 1);
            } catch (MipeaksException ex) {
                if (i == lines.length - 1) {
                    continue; // interrupted append: the problem is simply not finished
                }
                throw ex;
            }
            String w = JsonFields.where(file, i + 1);
            int index = JsonFields.integer(n, "index", w);
            if (index < 0) {
                throw MipeaksException.invalid(w + ": field 'index' must be >= 0, got " + index);
            }
            String status = JsonFields.text(n, "status", w);
            if (!status.equals(RunLayout.STATUS_OK) && !status.equals(RunLayout.STATUS_SKIPPED)) {
                throw MipeaksException.invalid(w + ": field 'status' must be \"ok\" or \"skipped\", got \"" + status + "\"");
            }
            String reason = JsonFields.optText(n, "reason", w);
            String f = JsonFields.optText(n, "file", w);
            if (status.equals(RunLayout.STATUS_OK) && f == null) {
                f = RunLayout.problemJson(index);
            }
            byIndex.put(index, new ManifestEntry(index, JsonFields.text(n, "id", w), status, reason, f));
        }
        return new ArrayList<>(byIndex.values());
    }

    /**
     * Reads problems/NNNNN.json and checks it against its manifest entry and the run's layers: token_ids, tokens and
     * every mi.{layer} have one entry per step, and MI values are finite.
     */
    static ProblemRecord readProblem(Path dir, ManifestEntry e, List<Integer> layers) {
        Path file = dir.resolve(e.file());
        JsonNode n = JsonFields.readFile(file);
        String w = file.toString();
        int index = JsonFields.integer(n, "index", w);
        if (index != e.index()) {
            throw MipeaksException.invalid(w + ": field 'index' is " + index + " but the manifest says " + e.index());
        }
        String id = JsonFields.text(n, "id", w);
        if (!id.equals(e.id())) {
            throw MipeaksException.invalid(w + ": field 'id' is \"" + id + "\" but the manifest says \"" + e.id() + "\"");
        }
        int[] tokenIds = JsonFields.intArray(n, "token_ids", w);
        List<String> tokens = JsonFields.stringList(n, "tokens", w);
        if (tokens.size() != tokenIds.length) {
            throw MipeaksException.invalid(w + ": field 'tokens' has " + tokens.size() + " entries but 'token_ids' has "
                    + tokenIds.length);
        }
        JsonNode miNode = JsonFields.field(n, "mi", w);
        if (!miNode.isObject()) {
            throw MipeaksException.invalid(w + ": field 'mi' must be an object {layer: [values]}");
        }
        Map<Integer, double[]> mi = new LinkedHashMap<>();
        for (int layer : layers) {
            String label = "mi." + layer;
            JsonNode a = miNode.get(Integer.toString(layer));
            if (a == null || a.isNull()) {
                throw MipeaksException.invalid(w + ": field '" + label + "' is missing (the run's layers are " + layers + ")");
            }
            double[] m = JsonFields.finiteArray(a, label, w);
            if (m.length != tokens.size()) {
                throw MipeaksException.invalid(w + ": field '" + label + "' has " + m.length + " values but 'tokens' has "
                        + tokens.size());
            }
            mi.put(layer, m);
        }
        JsonNode pl = n.get("layers");
        List<Integer> problemLayers = new ArrayList<>();
        if (pl != null && !pl.isNull()) {
            for (int l : JsonFields.intArray(n, "layers", w)) {
                problemLayers.add(l);
            }
        } else {
            problemLayers.addAll(layers);
        }
        JsonNode pi = n.get("prompt_ids");
        int[] promptIds = pi == null || pi.isNull() ? new int[0] : JsonFields.intArray(n, "prompt_ids", w);
        return new ProblemRecord(index, id,
                JsonFields.optText(n, "problem", w),
                JsonFields.optText(n, "answer", w),
                JsonFields.optText(n, "response", w),
                JsonFields.optText(n, "stop_reason", w),
                promptIds, tokenIds, List.copyOf(tokens), List.copyOf(problemLayers),
                JsonFields.optText(n, "estimator", w), mi);
    }
}
