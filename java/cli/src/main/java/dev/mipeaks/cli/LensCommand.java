package dev.mipeaks.cli;

import dev.mipeaks.analysis.LensRun;
import dev.mipeaks.analysis.LogitLens;
import dev.mipeaks.model.ModelSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mipeaks lens RUN --model DIR}: the logit lens at MI peaks, from a run's stored states ({@link LensRun}).
 * LibTorch is touched only inside {@link #call()}.
 */
@Command(name = "lens", mixinStandardHelpOptions = true,
        description = {"Logit lens at MI peaks: for each stored layer state at each peak step (IQR and top-k rules), "
                + "the token lm_head(final_norm(h)) would emit.",
                "Writes lens.jsonl (per problem and layer: lens ids and texts at peak steps, agreement with the "
                        + "generated token) and lens_tokens.jsonl (lens tokens at peaks counted by word) into the run "
                        + "folder (or --out)."})
public final class LensCommand extends CommandBase {

    @Parameters(index = "0", paramLabel = "RUN", description = "Run folder (runs/NAME) with problems/*.safetensors.")
    Path run;

    @Option(names = "--model", paramLabel = "DIR|ORG/NAME[@REV]",
            description = "The run's model: a folder (config.json, weights; tokenizer.json for token texts) or a "
                    + "Hugging Face id found offline in the local hub cache (default: the model the run's config.json "
                    + "names, at its recorded snapshot).")
    String model;

    @Option(names = "--layer", paramLabel = "L", description = "Only this layer (default: every layer of the run).")
    Integer layer;

    @picocli.CommandLine.Mixin
    PeakRuleOptions peaks;

    @Option(names = "--all-steps",
            description = "Apply the lens at every step (lens.jsonl then lists every step's lens id), not only at peaks.")
    boolean allSteps;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: the run folder; "
            + "`mipeaks report` shows the lens when it is the run folder).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out folder that holds no lens output or run.")
    boolean force;

    @picocli.CommandLine.Mixin
    ModelOptions runtime;

    @Override
    public Integer call() throws Exception {
        var options = peaks.toOptions(layer, 1);
        PrintWriter out = out();
        PrintWriter err = err();
        runtime.prepare(err);
        LensRun.Outcome o = LensRun.run(new LensRun.Request(run, runtime.request(model == null ? null
                : ModelSource.resolve(model)), layer, options, allSteps, this.out, force), err);
        LogitLens.Result r = o.result();
        out.printf(Locale.ROOT, "lens over %d problems, layers %s, %s steps; counted at %s peaks%n", r.problems(),
                r.layers(), allSteps ? "all" : "peak", r.rule().key());
        for (int l : r.layers()) {
            out.println(dev.mipeaks.analysis.PeakSummary.tokenLine(String.format(Locale.ROOT, "  layer %d: lens = generated token at "
                    + "%s of lensed steps; top lens tokens", l, pct(r.agreement().get(l))), o.rows(l), 10));
        }
        out.println("wrote " + String.join(", ", r.files().stream().map(Path::toString).toList()));
        if (o.dir().toAbsolutePath().normalize().equals(run.toAbsolutePath().normalize())) {
            out.println("'mipeaks report " + run + "' adds the agreement by layer to report.md");
        }
        out.flush();
        return 0;
    }

    private static String pct(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
