package dev.mipeaks.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test fixture for report.html: a run (JSON files only, as the analysis reads them) whose tokens are hostile to an
 * HTML page (markup, a script end tag, entities, control characters, an empty decoding, line separators, emoji),
 * with problems of very different lengths (0, 1, a few dozen and thousands of steps) and one skipped problem.
 * Steps that generate ids 0-2 get a high MI, so every layer has peaks.
 */
public final class HtmlTestRun {
    private HtmlTestRun() {
    }

    public static final String[] VOCAB = {"Wait", " So", "\n\n", "</script><b>bold</b>", "<!-- x", "&amp; &lt;", "",
            "\t", "\u0001", "\r\n", " the", " x", " =", " 2", " is", "'\"", "\u2028", " caf\u00e9", "\uD83D\uDE00",
            "\\n"};
    public static final List<Integer> LAYERS = List.of(0, 3, 7);
    /** Steps of problems 0..5; problem 4 is skipped (its length unused). */
    public static final int[] STEPS = {60, 3000, 0, 1, 0, 45};
    public static final int SKIPPED = 4;

    public static Path write(Path dir) throws IOException {
        Random rnd = new Random(11);
        RunWriter.writeConfig(dir, new RunConfig("test/html-model", "data/html.jsonl", LAYERS, "nhsic",
                Map.of("sigma", 50.0, "eps", 1e-5), 3000, "{problem}", "2025-01-01T00:00:00Z",
                JsonFields.MAPPER.createObjectNode().put("notice", "TEST RUN <b>not bold</b>")));
        for (int p = 0; p < STEPS.length; p++) {
            String id = "html/p" + p + (p == 5 ? "<i>&" : "");
            if (p == SKIPPED) {
                RunWriter.appendManifest(dir, new ManifestEntry(p, id, RunLayout.STATUS_SKIPPED, "prompt too long", null));
                continue;
            }
            int t = STEPS[p];
            int[] ids = new int[t];
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < t; i++) {
                // problem 5 walks the whole vocabulary first, so every hostile token is on the page
                ids[i] = p == 5 && i < VOCAB.length ? i : rnd.nextInt(8) == 0 ? rnd.nextInt(3) : 3 + rnd.nextInt(VOCAB.length - 3);
                tokens.add(VOCAB[ids[i]]);
            }
            Map<Integer, double[]> mi = new LinkedHashMap<>();
            for (int l : LAYERS) {
                double[] m = new double[t];
                for (int i = 0; i < t; i++) {
                    double base = 0.2 + 0.05 * rnd.nextDouble() + 0.01 * l;
                    m[i] = ids[i] < 3 ? base + 0.4 + 0.1 * rnd.nextDouble() : base;
                }
                mi.put(l, m);
            }
            ProblemRecord rec = new ProblemRecord(p, id, "Problem " + p + ": </script> <img src=x onerror=alert(1)>",
                    "\\frac{1}{2}", String.join("", tokens), "max_new_tokens", new int[]{1, 2, 3}, ids, tokens, LAYERS,
                    "nhsic", mi);
            String file = RunWriter.writeProblem(dir, rec);
            RunWriter.appendManifest(dir, new ManifestEntry(p, id, RunLayout.STATUS_OK, null, file));
        }
        return dir;
    }
}
