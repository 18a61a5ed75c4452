package dev.mipeaks.analysis;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The one definition of a run folder's layout, shared by the pipeline that writes runs and the analysis that reads
 * them:
 * <pre>
 * runs/NAME/
 *   config.json                 run configuration (model, dataset, layers, estimator, params, ...)
 *   manifest.jsonl              one line per finished problem: index, id, status ok|skipped, reason?, file
 *   problems/NNNNN.json         one problem: text, response, tokens, per-layer MI trajectories
 *   problems/NNNNN.safetensors  token_ids I64[T], hidden.{l} [T,H], gt_hidden.{l} [H], mi.{l} F64[T]
 *   peaks.jsonl, stats.json, thinking_tokens.jsonl, sigma_sweep.json    written by `mipeaks peaks`
 *   report.md, report.html, plots/*.png|svg                             written by `mipeaks report`
 * </pre>
 */
public final class RunLayout {
    private RunLayout() {
    }

    public static final String CONFIG = "config.json";
    public static final String MANIFEST = "manifest.jsonl";
    public static final String PROBLEMS_DIR = "problems";

    public static final String STATUS_OK = "ok";
    public static final String STATUS_SKIPPED = "skipped";

    /** Tensor names inside problems/NNNNN.safetensors. */
    public static final String TENSOR_TOKEN_IDS = "token_ids";

    public static final String PEAKS = "peaks.jsonl";
    public static final String STATS = "stats.json";
    public static final String THINKING_TOKENS = "thinking_tokens.jsonl";
    public static final String SIGMA_SWEEP = "sigma_sweep.json";
    public static final String REPORT = "report.md";
    public static final String REPORT_HTML = "report.html";
    public static final String PLOTS_DIR = "plots";

    /** "00012": the 5-digit zero-padded index used in problem file names. */
    public static String stem(int index) {
        return String.format(Locale.ROOT, "%05d", index);
    }

    /** "problems/00012.json", relative to the run folder (as written in the manifest's "file"). */
    public static String problemJson(int index) {
        return PROBLEMS_DIR + "/" + stem(index) + ".json";
    }

    /** "problems/00012.safetensors", relative to the run folder. */
    public static String problemTensors(int index) {
        return PROBLEMS_DIR + "/" + stem(index) + ".safetensors";
    }

    /** The tensors file that sits beside a problem JSON file (same stem). */
    public static Path tensorsBeside(Path problemJson) {
        String name = problemJson.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return problemJson.resolveSibling(stem + ".safetensors");
    }

    public static String hidden(int layer) {
        return "hidden." + layer;
    }

    public static String gtHidden(int layer) {
        return "gt_hidden." + layer;
    }

    public static String mi(int layer) {
        return "mi." + layer;
    }
}
