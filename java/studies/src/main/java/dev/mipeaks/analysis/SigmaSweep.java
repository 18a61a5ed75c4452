package dev.mipeaks.analysis;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.Matrix;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.mi.CpuMiBackend;
import dev.mipeaks.mi.Estimate;
import dev.mipeaks.mi.Estimator;
import dev.mipeaks.mi.EstimatorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Issue 7's kernel-width sweep: recomputes every problem's MI trajectories from the stored hidden states
 * (problems/NNNNN.safetensors: hidden.{l} [T,H] against gt_hidden.{l} [H]) for each sigma, and measures how the
 * peak sets move: the Jaccard index |A ∩ B| / |A ∪ B| of the peak steps at widths a and b, averaged over
 * problems, per layer and peak rule. Each problem file is opened once and its states reused for every width.
 */
public final class SigmaSweep {
    private SigmaSweep() {
    }

    /** Builds the estimator for one kernel width given as text ("50", "median"). */
    @FunctionalInterface
    public interface EstimatorFactory {
        Estimator create(String sigma);
    }

    /**
     * The run's estimator from the registry with the run's other parameters (eps, ...) and the given sigma.
     */
    public static EstimatorFactory fromRegistry(RunConfig config) {
        Map<String, String> base = new LinkedHashMap<>();
        config.params().forEach((k, v) -> {
            if (!k.equals("sigma")) {
                base.put(k, String.valueOf(v));
            }
        });
        return sigma -> {
            Map<String, String> p = new LinkedHashMap<>(base);
            p.put("sigma", sigma);
            return EstimatorRegistry.load().create(config.estimator(), p);
        };
    }

    /** One problem and layer: the recomputed trajectory for each sigma, in sweep order. */
    public record ProblemSweep(int index, String id, int layer, double[][] mi) {
    }

    /**
     * @param sigmas   widths in sweep order
     * @param jaccard  per layer and rule, [a][b] the mean over problems of Jaccard(peaks at sigma a, peaks at b)
     * @param meanPeaks per layer and rule, the mean number of peaks per problem at each width
     * @param meanMi   per layer, the mean MI over all steps at each width
     */
    public record Result(List<String> sigmas, int problems, int topK, Map<Integer, Map<PeakRule, double[][]>> jaccard,
                         Map<Integer, Map<PeakRule, double[]>> meanPeaks, Map<Integer, double[]> meanMi) {
    }

    /** Parses "50,100,median" into widths (each a positive number or "median"). */
    public static List<String> parseSigmas(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split(",")) {
            String t = s.trim();
            if (t.equalsIgnoreCase("median")) {
                out.add("median");
                continue;
            }
            try {
                double v = Double.parseDouble(t);
                if (v > 0 && Double.isFinite(v)) {
                    out.add(t);
                    continue;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw MipeaksException.invalid("--sigma: '" + t + "' is not a positive number or 'median'");
        }
        if (out.isEmpty()) {
            throw MipeaksException.invalid("--sigma: no width given");
        }
        return out;
    }

    public static Result run(RunData run, List<String> sigmas, EstimatorFactory factory, int threads, int topK) {
        return run(run, sigmas, factory, threads, topK, null);
    }

    /** Runs the sweep; {@code each} (may be null) sees every recomputed problem-layer, e.g. for tests. */
    public static Result run(RunData run, List<String> sigmas, EstimatorFactory factory, int threads, int topK,
                             Consumer<ProblemSweep> each) {
        List<Integer> layers = run.config().layers();
        int s = sigmas.size();
        List<CpuMiBackend> backends = new ArrayList<>();
        try {
            for (String sigma : sigmas) {
                backends.add(new CpuMiBackend(factory.create(sigma), threads));
            }
            Map<Integer, Map<PeakRule, double[][]>> jac = new LinkedHashMap<>();
            Map<Integer, Map<PeakRule, double[]>> peaks = new LinkedHashMap<>();
            Map<Integer, double[]> miSum = new LinkedHashMap<>();
            for (int l : layers) {
                Map<PeakRule, double[][]> j = new EnumMap<>(PeakRule.class);
                Map<PeakRule, double[]> p = new EnumMap<>(PeakRule.class);
                for (PeakRule r : PeakRule.values()) {
                    j.put(r, new double[s][s]);
                    p.put(r, new double[s]);
                }
                jac.put(l, j);
                peaks.put(l, p);
                miSum.put(l, new double[s]);
            }
            long steps = 0;
            int problems = 0;
            for (ManifestEntry e : run.okEntries()) {
                Path file = run.tensorsFile(e);
                if (!Files.isRegularFile(file)) {
                    throw MipeaksException.invalid(file + ": no such file (the sigma sweep needs the stored hidden states)");
                }
                try (SafetensorsFile st = SafetensorsFile.open(file)) {
                    int t = -1;
                    for (int l : layers) {
                        Matrix x = st.matrix(RunLayout.hidden(l));
                        Matrix y = st.matrix(RunLayout.gtHidden(l));
                        if (y.rows() != 1) {
                            throw MipeaksException.invalid(file + ": tensor '" + RunLayout.gtHidden(l) + "' has "
                                    + y.rows() + " rows, expected one vector [H]");
                        }
                        t = x.rows();
                        double[][] mi = new double[s][];
                        int[][][] pk = new int[PeakRule.values().length][s][];
                        for (int a = 0; a < s; a++) {
                            Estimate[] est = backends.get(a).estimate(x, y);
                            mi[a] = new double[est.length];
                            for (int i = 0; i < est.length; i++) {
                                mi[a][i] = est[i].value();
                                miSum.get(l)[a] += mi[a][i];
                            }
                            SequenceStats ss = SequenceStats.of(mi[a], topK);
                            for (PeakRule r : PeakRule.values()) {
                                pk[r.ordinal()][a] = ss.peaks(r);
                                peaks.get(l).get(r)[a] += ss.peaks(r).length;
                            }
                        }
                        for (PeakRule r : PeakRule.values()) {
                            double[][] j = jac.get(l).get(r);
                            for (int a = 0; a < s; a++) {
                                for (int b = 0; b < s; b++) {
                                    j[a][b] += Peaks.jaccard(pk[r.ordinal()][a], pk[r.ordinal()][b]);
                                }
                            }
                        }
                        if (each != null) {
                            each.accept(new ProblemSweep(e.index(), e.id(), l, mi));
                        }
                    }
                    steps += Math.max(t, 0);
                    problems++;
                }
            }
            if (problems == 0) {
                throw MipeaksException.invalid(run.dir() + ": no finished problems to sweep");
            }
            for (int l : layers) {
                for (PeakRule r : PeakRule.values()) {
                    for (double[] row : jac.get(l).get(r)) {
                        for (int b = 0; b < s; b++) {
                            row[b] /= problems;
                        }
                    }
                    double[] p = peaks.get(l).get(r);
                    for (int a = 0; a < s; a++) {
                        p[a] /= problems;
                    }
                }
                double[] m = miSum.get(l);
                for (int a = 0; a < s; a++) {
                    m[a] = steps == 0 ? 0 : m[a] / steps;
                }
            }
            return new Result(List.copyOf(sigmas), problems, topK, jac, peaks, miSum);
        } finally {
            backends.forEach(CpuMiBackend::close);
        }
    }
}
