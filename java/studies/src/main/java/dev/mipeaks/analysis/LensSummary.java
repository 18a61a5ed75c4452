package dev.mipeaks.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What `mipeaks lens` left in a run folder, read back for the report: agreement by layer (lens.jsonl: lensed steps
 * and the share where the lens token is the generated one, pooled over problems) and the most frequent lens tokens
 * per layer (lens_tokens.jsonl).
 *
 * @param agreement per layer (ascending), lensed steps whose lens token is the generated token / lensed steps
 * @param lensed    per layer, the lensed steps
 * @param problems  distinct problems in lens.jsonl
 * @param tokens    per layer, lens_tokens.jsonl's rows in file order (most frequent first)
 */
public record LensSummary(Map<Integer, Double> agreement, Map<Integer, Long> lensed, int problems,
                          Map<Integer, List<ThinkingTokens.Row>> tokens) {

    /** The lens outputs of {@code dir}, or null when it has no lens.jsonl. */
    public static LensSummary read(Path dir) {
        Path file = dir.resolve(LogitLens.LENS);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Map<Integer, double[]> sums = new TreeMap<>();
        java.util.Set<Integer> problems = new java.util.HashSet<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode n = JsonFields.parse(file, lines.get(i), i + 1);
            String w = JsonFields.where(file, i + 1);
            int layer = JsonFields.integer(n, "layer", w);
            int lensedSteps = JsonFields.integer(n, "lensed_steps", w);
            problems.add(JsonFields.integer(n, "index", w));
            JsonNode a = n.get("agreement");
            double[] s = sums.computeIfAbsent(layer, k -> new double[2]);
            if (a != null && a.isNumber() && lensedSteps > 0) {
                s[0] += Math.round(a.asDouble() * lensedSteps);
                s[1] += lensedSteps;
            }
        }
        Map<Integer, Double> agreement = new LinkedHashMap<>();
        Map<Integer, Long> lensed = new LinkedHashMap<>();
        sums.forEach((l, s) -> {
            agreement.put(l, s[1] == 0 ? null : s[0] / s[1]);
            lensed.put(l, (long) s[1]);
        });
        Map<Integer, List<ThinkingTokens.Row>> tokens = new TreeMap<>();
        Path tf = dir.resolve(LogitLens.LENS_TOKENS);
        if (Files.isRegularFile(tf)) {
            List<String> tl = lines(tf);
            for (int i = 0; i < tl.size(); i++) {
                if (tl.get(i).isBlank()) {
                    continue;
                }
                JsonNode n = JsonFields.parse(tf, tl.get(i), i + 1);
                String w = JsonFields.where(tf, i + 1);
                tokens.computeIfAbsent(JsonFields.integer(n, "layer", w), k -> new ArrayList<>())
                        .add(new ThinkingTokens.Row(JsonFields.text(n, "word", w), JsonFields.integer(n, "freq", w),
                                JsonFields.intArray(n, "token_ids", w)));
            }
        }
        return new LensSummary(agreement, lensed, problems.size(), tokens);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw MipeaksException.invalid(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
