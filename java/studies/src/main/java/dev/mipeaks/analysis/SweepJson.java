package dev.mipeaks.analysis;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mipeaks.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** sigma_sweep.json: the sweep's widths, mean MI and peaks per width, and mean Jaccard matrices per layer and rule. */
public final class SweepJson {
    private SweepJson() {
    }

    /**
     * The file's content: widths as numbers where they are numbers ("median" stays text), then one entry per layer
     * with its mean MI per width and, per peak rule (every rule, by key), mean peak counts and the Jaccard matrix.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"estimator", "sigmas", "problems", "top_k", "jaccard", "per_layer"})
    public record File(String estimator, List<Object> sigmas, int problems, int topK, String jaccard,
                       List<Layer> perLayer) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"layer", "mean_mi", "rules"})
    public record Layer(int layer, double[] meanMi, Map<String, RuleSweep> rules) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"mean_peaks", "jaccard"})
    public record RuleSweep(double[] meanPeaks, double[][] jaccard) {
    }

    public static File toJson(SigmaSweep.Result r, String estimator) {
        List<Object> sigmas = r.sigmas().stream().<Object>map(s -> {
            Double v = number(s);
            return v != null ? v : s;          // numbers as numbers; a rule such as "median" stays text
        }).toList();
        List<Layer> layers = new ArrayList<>();
        for (Map.Entry<Integer, double[]> e : r.meanMi().entrySet()) {
            Map<String, RuleSweep> rules = new LinkedHashMap<>();
            for (PeakRule rule : PeakRule.values()) {
                rules.put(rule.key(), new RuleSweep(r.meanPeaks().get(e.getKey()).get(rule),
                        r.jaccard().get(e.getKey()).get(rule)));
            }
            layers.add(new Layer(e.getKey(), e.getValue(), rules));
        }
        return new File(estimator, sigmas, r.problems(), r.topK(),
                "mean over problems of |A ∩ B| / |A ∪ B| of the peak steps at widths a and b (1 when both are empty)",
                layers);
    }

    public static void write(SigmaSweep.Result r, String estimator, Path file) throws IOException {
        AtomicFiles.writeString(file,
                JsonFields.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(r, estimator)) + "\n");
    }

    /** The widths of a sigma_sweep.json, in sweep order. */
    public static java.util.List<String> sigmas(JsonNode o) {
        java.util.List<String> out = new java.util.ArrayList<>();
        // numbers written plainly (50, not 50.0); files written before held the widths as text, read as they are
        o.path("sigmas").forEach(n -> out.add(n.isNumber() ? PlainNumber.format(n.doubleValue()) : n.asText()));
        return out;
    }

    private static Double number(String sigma) {
        try {
            double v = Double.parseDouble(sigma.trim());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The Jaccard matrix of one layer entry and rule, or null when the file has none. */
    public static double[][] jaccard(JsonNode layerEntry, PeakRule rule) {
        JsonNode m = layerEntry.path("rules").path(rule.key()).path("jaccard");
        if (!m.isArray() || m.size() == 0) {
            return null;
        }
        double[][] out = new double[m.size()][];
        for (int a = 0; a < m.size(); a++) {
            out[a] = new double[m.get(a).size()];
            for (int b = 0; b < out[a].length; b++) {
                out[a][b] = m.get(a).get(b).asDouble();
            }
        }
        return out;
    }
}
