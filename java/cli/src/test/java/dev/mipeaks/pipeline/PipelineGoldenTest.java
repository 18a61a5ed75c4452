package dev.mipeaks.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.CliResult;
import dev.mipeaks.SharedData;
import dev.mipeaks.TestMath;
import dev.mipeaks.analysis.AnalysisTestRuns;
import dev.mipeaks.analysis.RunLayout;
import dev.mipeaks.io.DType;
import dev.mipeaks.io.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mipeaks run} end to end on shared/models/tiny-qwen2 and the first two MATH-500 problems, against the shared
 * golden (an independent float64 forward and exact nhsic): prompt and generated ids exactly, states within 1e-4,
 * MI close to the golden and bit-equal to the CPU estimator on the stored states, top-5 steps per layer, and the
 * peaks and thinking-token files consistent with the stored MI.
 */
class PipelineGoldenTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> SIGMA50 = Map.of("sigma", "50");

    @TempDir
    static Path tmp;

    static Path run;
    static CliResult result;

    @BeforeAll
    static void runPipeline() {
        Path model = SharedData.require("models/tiny-qwen2");
        Path data = SharedData.require("data/math500/test.jsonl").getParent().getParent();
        SharedData.require("pipeline/tiny-qwen2-math500.safetensors");
        run = tmp.resolve("golden-run");
        // --mi-chunk 7: several chunks and a partial one, so that the step -> value bookkeeping is exercised
        result = CliResult.run("run", "--model", model.toString(), "--dataset", "math500", "--data-dir",
                data.toString(), "--limit", "2", "--layers", "all", "--max-new-tokens", "24", "--sigma", "50",
                "--threads", "2", "--mi-chunk", "7", "--device", "cpu", "--out", run.toString());
        assertEquals(0, result.code(), result.err());
    }

    @Test
    void writesEveryFile() throws IOException {
        for (String f : List.of(RunLayout.CONFIG, RunLayout.MANIFEST, RunLayout.PEAKS, RunLayout.STATS,
                RunLayout.THINKING_TOKENS, RunLayout.REPORT, "problems/00000.json", "problems/00000.safetensors",
                "problems/00001.json", "problems/00001.safetensors", "plots/trajectories.png", "plots/mi_per_layer.svg")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f + " missing");
        }
        assertEquals(List.of("00000.json", "00000.safetensors", "00001.json", "00001.safetensors"),
                PipelineRuns.problemFiles(run), "no spill or temporary files left");
        List<String> manifest = Files.readAllLines(run.resolve(RunLayout.MANIFEST));
        assertEquals(2, manifest.size());
        assertTrue(manifest.get(0).contains("\"status\":\"ok\""), manifest.get(0));
        assertTrue(result.err().contains("steps/s") && result.err().contains("MI pairs/s")
                && result.err().contains("ETA"), result.err());
        assertTrue(result.out().contains("report: "), result.out());
    }

    @Test
    void matchesGolden() throws IOException {
        Path golden = SharedData.require("pipeline/tiny-qwen2-math500.safetensors");
        JsonNode gj = JSON.readTree(SharedData.require("pipeline/tiny-qwen2-math500.json").toFile());
        try (SafetensorsFile g = SafetensorsFile.open(golden)) {
            for (int p = 0; p < 2; p++) {
                String pre = "p" + p + ".";
                JsonNode pj = JSON.readTree(run.resolve(RunLayout.problemJson(p)).toFile());
                assertEquals(gj.get("problems").get(p).get("unique_id").asText(), pj.get("id").asText());
                assertArrayEquals(g.longs(pre + "prompt_ids"), longs(pj.get("prompt_ids")), "prompt ids of problem " + p);
                long[] tokens = g.longs(pre + "token_ids");
                assertArrayEquals(tokens, longs(pj.get("token_ids")), "token ids of problem " + p);
                long[] dims = g.info(pre + "hidden").shape();
                int layers = (int) dims[0];
                int t = (int) dims[1];
                int h = (int) dims[2];
                float[] gh = g.floats(pre + "hidden");
                float[] gg = g.floats(pre + "gt_hidden");
                double[] gm = g.doubles(pre + "nhsic");
                int[] ls = new int[layers];
                for (int l = 0; l < layers; l++) {
                    ls[l] = l;
                }
                Path tensors = run.resolve(RunLayout.problemTensors(p));
                double[][] mi = PipelineRuns.recomputeAndCheck(tensors, ls, SIGMA50);
                try (SafetensorsFile f = SafetensorsFile.open(tensors)) {
                    assertArrayEquals(tokens, f.longs(RunLayout.TENSOR_TOKEN_IDS));
                    double worstH = 0;
                    double worstMi = 0;
                    for (int l = 0; l < layers; l++) {
                        float[] hid = f.floats(RunLayout.hidden(l));
                        assertEquals(t * h, hid.length);
                        for (int s = 0; s < t; s++) {
                            worstH = Math.max(worstH, TestMath.relErr(Arrays.copyOfRange(hid, s * h, (s + 1) * h),
                                    Arrays.copyOfRange(gh, (l * t + s) * h, (l * t + s + 1) * h)));
                        }
                        worstH = Math.max(worstH, TestMath.relErr(f.floats(RunLayout.gtHidden(l)),
                                Arrays.copyOfRange(gg, l * h, (l + 1) * h)));
                        double[] want = Arrays.copyOfRange(gm, l * t, (l + 1) * t);
                        double scale = Arrays.stream(want).map(Math::abs).max().orElse(0);
                        for (int s = 0; s < t; s++) {
                            worstMi = Math.max(worstMi, Math.abs(mi[l][s] - want[s]) / scale);
                            // the problem JSON carries the same values as the tensors
                            assertEquals(mi[l][s], pj.get("mi").get(Integer.toString(l)).get(s).asDouble());
                        }
                        int[] top5 = topK(mi[l], 5);
                        int[] want5 = ints(gj.get("problems").get(p).get("top5_steps_per_layer").get(l));
                        assertArrayEquals(want5, Arrays.copyOf(top5, want5.length), "top-5 steps, problem " + p + " layer " + l);
                        System.out.printf("problem %d layer %d: top-5 %s, smallest relative gap among the top-6 values "
                                + "%.2e%n", p, l, Arrays.toString(top5), minGap(mi[l], 6));
                    }
                    System.out.printf("problem %d: %d steps, states rel err %.2e, MI rel err (to max |MI|) %.2e%n", p, t,
                            worstH, worstMi);
                    assertTrue(worstH < 1e-4, "hidden rel err " + worstH);
                    // float32 states vs the float64 golden forward differ by ~5e-6 relative, and nhsic at sigma 50 is
                    // smooth in its inputs: the MI moves by ~1e-5 of its largest value (measured). 1e-4 leaves a 10x
                    // margin and stays below the smallest gap between the top-6 values (~1e-3, printed above), which
                    // is why the top-5 steps must come out equal
                    assertTrue(worstMi < 1e-4, "MI rel err " + worstMi);
                }
            }
        }
    }

    @Test
    void peaksAndTokenTableFollowTheMi() throws IOException {
        Map<String, Long> count = new HashMap<>();
        int lastLayer = 2;
        List<JsonNode> peaks = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(RunLayout.PEAKS))) {
            peaks.add(JSON.readTree(line));
        }
        assertEquals(2 * 3, peaks.size(), "one line per problem and layer");
        for (JsonNode pk : peaks) {
            int p = pk.get("index").asInt();
            int l = pk.get("layer").asInt();
            JsonNode pj = JSON.readTree(run.resolve(RunLayout.problemJson(p)).toFile());
            double[] mi = doubles(pj.get("mi").get(Integer.toString(l)));
            int[] topk = topK(mi, 20);
            // written in step order, with each step's rank: the rank order is the top-k list
            assertArrayEquals(topk, AnalysisTestRuns.stepsInRankOrder(pk.get("topk")),
                    "top-k steps, problem " + p + " layer " + l);
            assertArrayEquals(iqrPeaks(mi), AnalysisTestRuns.stepsInRankOrder(pk.get("iqr")),
                    "IQR steps, problem " + p + " layer " + l);
            if (l == lastLayer) {
                for (int s : topk) {
                    String tok = pj.get("tokens").get(s).asText();
                    int id = pj.get("token_ids").get(s).asInt();
                    if (id < 5) {
                        continue;   // the byte tokenizer's special tokens (ids 0-4, EOS among them): left out
                    }
                    String word = tok.length() > 1 && (tok.charAt(0) == ' ' || tok.charAt(0) == 'Ġ') ? tok.substring(1) : tok;
                    // a lone byte ("\uFFFD") or an empty decoding says nothing about the token: one row per id
                    boolean undecodable = tok.isEmpty() || tok.contains("\uFFFD");
                    count.merge(undecodable ? word + "#" + id : word, 1L, Long::sum);
                }
            }
        }
        Map<String, Long> table = new HashMap<>();
        for (String line : Files.readAllLines(run.resolve(RunLayout.THINKING_TOKENS))) {
            JsonNode n = JSON.readTree(line);
            String text = n.get("word").asText();
            if (text.isEmpty() || text.contains("\uFFFD")) {
                assertEquals(1, n.get("token_ids").size(), line);
                text = text + "#" + n.get("token_ids").get(0).asInt();
            }
            assertEquals(null, table.put(text, n.get("freq").asLong()), "one row per word (or undecodable id)");
            // with the tokenizer's vocabulary: every id whose text is the word (byte tokenizer: id = byte + 5)
            String w = n.get("word").asText();
            if (w.length() == 1 && w.charAt(0) < 128 && w.charAt(0) > ' ') {
                assertArrayEquals(new int[] {w.charAt(0) + 5}, ints(n.get("token_ids")), "ids of '" + w + "'");
            }
        }
        assertEquals(count, table, "thinking-token frequencies = tokens at the top-k peaks of the last layer");
    }

    @Test
    void bf16StatesGiveMiOfTheStoredValues() throws IOException {
        Path model = SharedData.require("models/tiny-qwen2");
        Path data = SharedData.require("data/math500/test.jsonl").getParent().getParent();
        Path out = tmp.resolve("bf16-run");
        CliResult r = CliResult.run("run", "--model", model.toString(), "--dataset", "math500", "--data-dir",
                data.toString(), "--limit", "1", "--layers", "0,2", "--max-new-tokens", "6", "--state-dtype", "bf16",
                "--threads", "2", "--no-report", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path tensors = out.resolve(RunLayout.problemTensors(0));
        try (SafetensorsFile f = SafetensorsFile.open(tensors)) {
            assertEquals(DType.BF16, f.info("hidden.2").dtype());
            assertEquals(DType.BF16, f.info("gt_hidden.0").dtype());
        }
        PipelineRuns.recomputeAndCheck(tensors, new int[] {0, 2}, SIGMA50);
        // the f32 run stores other values, so its MI differs (bf16 rounding is not silently skipped)
        double[] f32 = PipelineRuns.recomputeAndCheck(run.resolve(RunLayout.problemTensors(0)), new int[] {0}, SIGMA50)[0];
        try (SafetensorsFile f = SafetensorsFile.open(tensors)) {
            double[] bf = f.doubles("mi.0");
            assertTrue(bf[0] != f32[0], "bf16 MI equals f32 MI exactly");
        }
    }

    /** Top k steps by value, ties to the lower step (independent of the analysis code). */
    static int[] topK(double[] m, int k) {
        Integer[] idx = new Integer[m.length];
        for (int i = 0; i < m.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> m[a] != m[b] ? Double.compare(m[b], m[a]) : Integer.compare(a, b));
        int n = Math.min(k, m.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** Steps with m > Q3 + 1.5 IQR, quartiles as numpy's linear percentile. */
    static int[] iqrPeaks(double[] m) {
        double[] s = m.clone();
        Arrays.sort(s);
        double q1 = pct(s, 25);
        double q3 = pct(s, 75);
        double thr = q3 + 1.5 * (q3 - q1);
        return java.util.stream.IntStream.range(0, m.length).filter(i -> m[i] > thr).toArray();
    }

    static double pct(double[] sorted, double p) {
        double pos = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** The smallest gap between consecutive values among the largest n, relative to the largest. */
    static double minGap(double[] m, int n) {
        double[] s = m.clone();
        Arrays.sort(s);
        double gap = Double.POSITIVE_INFINITY;
        for (int i = s.length - 1; i > 0 && i >= s.length - n; i--) {
            gap = Math.min(gap, (s[i] - s[i - 1]) / Math.abs(s[s.length - 1]));
        }
        return gap;
    }

    static long[] longs(JsonNode a) {
        return JSON.convertValue(a, long[].class);
    }

    static int[] ints(JsonNode a) {
        return JSON.convertValue(a, int[].class);
    }

    static double[] doubles(JsonNode a) {
        return JSON.convertValue(a, double[].class);
    }
}
