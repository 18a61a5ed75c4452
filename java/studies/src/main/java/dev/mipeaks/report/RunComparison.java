package dev.mipeaks.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.analysis.AnalysisWriter;
import dev.mipeaks.analysis.JsonFields;
import dev.mipeaks.analysis.LayerStats;
import dev.mipeaks.analysis.ManifestEntry;
import dev.mipeaks.analysis.PeakRule;
import dev.mipeaks.analysis.RunAnalysis;
import dev.mipeaks.analysis.RunConfig;
import dev.mipeaks.analysis.RunData;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.analysis.RunReader;
import dev.mipeaks.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The paper's Table 2 view over any number of runs: mean, std, AOM, peaks, ratio and intervals side by side, with
 * overlaid MI histograms and the trajectories of the same problems. Runs must share their problems (by id), layers
 * and estimator (name and parameters) unless forced.
 */
public final class RunComparison {
    private RunComparison() {
    }

    /** What differs between the runs (empty when they are comparable). */
    public static List<String> differences(List<RunData> runs) {
        List<String> diffs = new ArrayList<>();
        RunData first = runs.get(0);
        Set<String> ids0 = ids(first);
        for (RunData r : runs.subList(1, runs.size())) {
            Set<String> ids = ids(r);
            if (!ids.equals(ids0)) {
                Set<String> missing = new LinkedHashSet<>(ids0);
                missing.removeAll(ids);
                Set<String> extra = new LinkedHashSet<>(ids);
                extra.removeAll(ids0);
                StringBuilder sb = new StringBuilder("problems differ between " + first.dir() + " and " + r.dir() + " (");
                if (!missing.isEmpty()) {
                    sb.append(missing.size()).append(" missing in the second, e.g. '").append(missing.iterator().next()).append("'");
                }
                if (!extra.isEmpty()) {
                    sb.append(missing.isEmpty() ? "" : "; ").append(extra.size())
                            .append(" only in the second, e.g. '").append(extra.iterator().next()).append("'");
                }
                diffs.add(sb.append(")").toString());
            }
            if (!r.config().layers().equals(first.config().layers())) {
                diffs.add("layers differ: " + first.dir() + " has " + first.config().layers() + ", " + r.dir() + " has "
                        + r.config().layers());
            }
            String e0 = first.config().estimatorDescription();
            String e1 = r.config().estimatorDescription();
            if (!e0.equals(e1)) {
                diffs.add("estimators differ: " + first.dir() + " used '" + e0 + "', " + r.dir() + " used '" + e1 + "'");
            }
        }
        return diffs;
    }

    private static Set<String> ids(RunData r) {
        Set<String> s = new LinkedHashSet<>();
        r.okEntries().forEach(e -> s.add(e.id()));
        return s;
    }

    /** Refuses incomparable runs (exit 2 naming what differs) unless {@code force}. */
    public static void check(List<RunData> runs, boolean force) {
        if (runs.size() < 2) {
            throw MipeaksException.invalid("compare needs at least two runs, got " + runs.size());
        }
        List<String> d = differences(runs);
        if (!d.isEmpty() && !force) {
            throw MipeaksException.invalid(String.join("; ", d) + " (use --force to compare anyway)");
        }
    }

    /** Unique labels for the runs: folder names, prefixed with their position when two coincide. */
    static List<String> labels(List<RunData> runs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            String n = runs.get(i).name();
            out.add(out.contains(n) || runs.stream().filter(r -> r.name().equals(n)).count() > 1 ? (i + 1) + ":" + n : n);
        }
        return out;
    }

    /** @param notes what a reader should know although the runs are comparable (e.g. models of different depth) */
    public record Written(Path out, List<String> differences, List<String> notes, Map<String, RunAnalysis> analyses,
                          int layer, List<Path> files) {
    }

    /**
     * Compares the runs and writes compare.md, compare.json and plots/ into {@code out}.
     *
     * @param options {@code options.layer()} (or the last layer all runs share) is the layer of the histograms,
     *                trajectories and the Table 2 rows
     */
    public static Written write(List<Path> dirs, Path out, AnalysisOptions options, boolean force) throws IOException {
        List<RunData> runs = new ArrayList<>();
        for (Path d : dirs) {
            runs.add(RunReader.open(d));
        }
        check(runs, force);
        List<String> diffs = differences(runs);
        int layer = sharedLayer(runs, options.layer());
        String depth = depthNote(runs, layer);
        List<String> notes = depth == null ? List.of() : List.of(depth);
        AnalysisOptions perRun = options.withLayer(layer);
        Map<String, RunAnalysis> analyses = new LinkedHashMap<>();
        List<String> labels = labels(runs);
        for (int i = 0; i < runs.size(); i++) {
            analyses.put(labels.get(i), RunAnalysis.analyze(runs.get(i), perRun));
        }
        List<Path> files = new ArrayList<>();
        Path plots = out.resolve(RunLayout.PLOTS_DIR);
        Map<String, double[]> hist = new LinkedHashMap<>();
        Map<String, Map<Integer, LayerStats>> perLayer = new LinkedHashMap<>();
        analyses.forEach((k, a) -> {
            hist.put(k, a.layerValues());
            perLayer.put(k, a.perLayer());
        });
        RunConfig c0 = runs.get(0).config();
        String miLabel = Charts.miLabel(c0);
        String context = "runs " + String.join(", ", labels) + ", dataset " + ChartStyle.shortName(
                c0.dataset() == null ? "?" : c0.dataset());
        files.addAll(Figure.single(Charts.histograms(hist, layer, 60, miLabel, context), 900, 500)
                .save(plots, "mi_histograms"));
        files.addAll(Figure.single(Charts.miPerLayer(perLayer, miLabel, context), 900, 500).save(plots, "mi_per_layer"));
        List<String> shared = sharedIds(runs, Math.min(options.trajectories(), 9));
        if (!shared.isEmpty()) {
            files.addAll(overlayFigure(runs, labels, shared, layer, miLabel, context).save(plots, "trajectories"));
        }
        PeakRule rule = options.rules().get(0);
        Markdown sb = new Markdown().heading(1, "MI peaks comparison");
        if (!diffs.isEmpty()) {
            sb.text("**Compared with --force although the runs differ:**\n\n");
            diffs.forEach(d -> sb.text("- " + Markdown.cell(d) + "\n"));
            sb.text("\n");
        }
        notes.forEach(n -> sb.paragraph("**Note:** " + Markdown.cell(n) + "."));
        StringBuilder runList = new StringBuilder("Runs: ");
        for (int i = 0; i < runs.size(); i++) {
            runList.append(i == 0 ? "" : ", ").append('`').append(labels.get(i)).append("` (").append(runs.get(i).dir())
                    .append(')');
        }
        sb.paragraph(runList + ".").heading(2, "Table 2 view (layer " + layer + ")");
        ReportMarkdown.table2(sb, analyses, layer, rule);
        for (PeakRule r : options.rules()) {
            if (r != rule) {
                sb.text("\n");
                ReportMarkdown.table2(sb, analyses, layer, r);
            }
        }
        sb.text("\n").heading(2, "Per run and layer");
        analyses.forEach((k, a) -> {
            sb.heading(3, k);
            ReportMarkdown.miTable(sb, a);
            sb.text("\n");
            ReportMarkdown.table1(sb, a);
            sb.text("\n");
        });
        sb.text(ReportMarkdown.DEFINITIONS + "\n");
        sb.image("MI histograms", "plots/mi_histograms.png").image("MI per layer", "plots/mi_per_layer.png");
        if (!shared.isEmpty()) {
            sb.text("Trajectories of the same problems (layer " + layer
                    + "), diamonds mark each run's IQR peaks:\n\n![Trajectories](plots/trajectories.png)\n");
        }
        Path md = out.resolve("compare.md");
        AtomicFiles.writeString(md, sb.toString());
        files.add(md);
        Path js = out.resolve("compare.json");
        AtomicFiles.writeString(js, JsonFields.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json(analyses, diffs, layer)) + "\n");
        files.add(js);
        return new Written(out, diffs, notes, analyses, layer, files);
    }

    private static ObjectNode json(Map<String, RunAnalysis> analyses, List<String> diffs, int layer) {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("layer", layer);
        ArrayNode d = o.putArray("differences");
        diffs.forEach(d::add);
        ObjectNode runs = o.putObject("runs");
        analyses.forEach((k, a) -> runs.set(k, AnalysisWriter.statsJson(a, null)));
        return o;
    }

    /** The requested layer (every run must have it) or the last layer every run has. */
    static int sharedLayer(List<RunData> runs, Integer requested) {
        if (requested != null) {
            for (RunData r : runs) {
                if (!r.config().layers().contains(requested)) {
                    throw MipeaksException.invalid("--layer " + requested + ": run " + r.dir() + " has layers " + r.config().layers());
                }
            }
            return requested;
        }
        List<Integer> common = new ArrayList<>(runs.get(0).config().layers());
        runs.forEach(r -> common.retainAll(r.config().layers()));
        if (common.isEmpty()) {
            throw MipeaksException.invalid("the runs share no layer; choose one with --layer that every run has");
        }
        return common.get(common.size() - 1);
    }

    /**
     * A note when layer {@code layer} sits at different relative depths in the runs' models (compared by index: layer
     * 1 is the middle of a 3-layer model but the last of a 2-layer one; layer 0 is the first of both), or null. Depth is the model's num_hidden_layers when its folder
     * is here, else the run's last captured layer + 1.
     */
    static String depthNote(List<RunData> runs, int layer) {
        List<String> parts = new ArrayList<>();
        java.util.Set<Long> depths = new java.util.HashSet<>();
        for (RunData r : runs) {
            Integer n = r.config().modelLayers();
            boolean known = n != null;
            if (n == null) {
                n = r.config().layers().stream().mapToInt(Integer::intValue).max().orElse(layer) + 1;
            }
            depths.add(n <= 1 ? 0L : Math.round(1e6 * layer / (n - 1.0))); // relative depth: 0 first, 1 last
            parts.add(r.dir() + ": layer " + layer + " of 0.." + (n - 1) + (layer == n - 1 ? " (the last)" : "")
                    + (known ? "" : " (deeper if the model has more layers than the run captured)"));
        }
        if (depths.size() < 2) {
            return null;
        }
        return "layer " + layer + " is compared by index but the models differ in depth (" + String.join("; ", parts)
                + ")";
    }

    /** The first {@code n} problem ids (in the first run's order) that every run has. */
    static List<String> sharedIds(List<RunData> runs, int n) {
        List<String> out = new ArrayList<>();
        for (ManifestEntry e : runs.get(0).okEntries()) {
            if (out.size() >= n) {
                break;
            }
            if (runs.stream().allMatch(r -> r.okEntries().stream().anyMatch(x -> x.id().equals(e.id())))) {
                out.add(e.id());
            }
        }
        return out;
    }

    private static Figure overlayFigure(List<RunData> runs, List<String> labels, List<String> ids, int layer,
                                        String miLabel, String context) {
        List<org.jfree.chart.JFreeChart> charts = new ArrayList<>();
        for (String id : ids) {
            Map<String, double[]> series = new LinkedHashMap<>();
            for (int i = 0; i < runs.size(); i++) {
                RunData r = runs.get(i);
                ManifestEntry e = r.okEntries().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
                series.put(labels.get(i), r.problem(e).mi(layer));
            }
            charts.add(Charts.overlay(id, series, miLabel));
        }
        return Figure.grid(charts, 600, 360)
                .withTitle("MI trajectories of the same problems at layer " + layer + " (" + ids.size() + " problems)",
                        context)
                .withLegend(Charts.overlayLegend(labels));
    }
}
