package dev.mipeaks.cli;

import dev.mipeaks.pipeline.RunOptions;
import dev.mipeaks.pipeline.Shard;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mipeaks run}: MI peaks end to end over a dataset (see dev.mipeaks.pipeline.MiRun). LibTorch is loaded only
 * inside {@link #call()}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"For each problem of a dataset: the ground-truth state (forward pass of the solution text, last "
                + "token), generation with the hidden state of every step, and the MI of every step against the ground "
                + "truth on every chosen layer; then peaks, Table-1 statistics, thinking tokens, plots and report.md.",
                "Writes runs/NAME/{config.json, manifest.jsonl, problems/NNNNN.json|.safetensors, ...}. Resumable: "
                        + "rerunning the same command skips finished problems."})
public final class RunCommand extends CommandBase {

    @picocli.CommandLine.Mixin
    ModelSourceOption model;

    @Mixin
    DatasetOptions data;

    @Option(names = "--fields", paramLabel = "problem=COL,...",
            description = "Field mapping for other files: canonical=source pairs (problem, solution, answer, id, subject, level).")
    String fields;

    @Mixin
    ProblemRangeOptions range;

    @Option(names = "--layers", defaultValue = "last", paramLabel = "all|last|L,L,...",
            description = "Layers to capture (default: ${DEFAULT-VALUE}). Every captured layer stores [T, H] states.")
    String layers;

    @Option(names = "--max-new-tokens", defaultValue = "512", paramLabel = "N",
            description = "Generated tokens per problem at most (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Mixin
    EstimatorOptions estimator;

    @Option(names = "--sigma", paramLabel = "50|median|S1,S2,...", description = {
            "Kernel width (estimator default: 50). A list (e.g. 50,100,200,400) computes MI at the first width while",
            "generating, then recomputes it from the stored states for every width and reports how the peak sets",
            "change (sigma_sweep.json, Jaccard between widths), as 'mipeaks peaks --sigma' does."})
    String sigma;

    @Option(names = "--prompt-template", defaultValue = "raw", paramLabel = "NAME",
            description = "raw = the problem text as is, like the paper's generate_activation.py (default); or "
                    + dev.mipeaks.eval.Prompts.NAMES_HELP + ".")
    String promptTemplate;

    @Option(names = "--no-special-tokens",
            description = "Tokenize without the tokenizer's special tokens (e.g. no Llama BOS before problem and solution).")
    boolean noSpecialTokens;

    @picocli.CommandLine.Mixin
    SamplingOptions sampling;

    @Option(names = "--state-dtype", defaultValue = "f32", paramLabel = "f32|bf16", converter = StateDtypeConverter.class,
            description = "Storage of hidden states (default: ${DEFAULT-VALUE}); MI is computed on exactly the stored values.")
    dev.mipeaks.io.DType stateDtype;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda[:N]|LIST",
            description = "Device for the MI engine and, unless --model-device, the model (default: ${DEFAULT-VALUE}). "
                    + "A list such as cuda:0,cuda:1 splits the model's layers over the devices (the MI engine uses the "
                    + "first); auto takes one GPU, or fills several in order when one is not enough, or the CPU.")
    String device;

    @Option(names = "--model-device", paramLabel = OptionVocabulary.MODEL_DEVICE_LABEL, description = "Device(s) for the model only.")
    String modelDevice;

    @picocli.CommandLine.Mixin
    ModelPlacementOptions placement;

    @Mixin
    LibTorchOptions libtorch;

    @Option(names = "--shard", paramLabel = "i/n", converter = ShardConverter.class,
            description = "Run only problems k with k %% n == i (join shards with 'mipeaks merge').")
    Shard shard;

    @Option(names = "--gt-model", paramLabel = "DIR|ORG/NAME[@REV]",
            description = {"Ground-truth states from another checkpoint (same hidden size; its own tokenizer), as the",
                    "reference's cal_mi.py --gt_model; a folder or a Hugging Face id. Default: the model itself.",
                    "Recorded in config.json."})
    String gtModel;

    @Option(names = "--mi-chunk", defaultValue = "128", paramLabel = "STEPS",
            description = "Steps per MI batch while generating (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--no-report", description = "Skip peaks, plots and report.md at the end.")
    boolean noReport;

    @Mixin
    AnalysisCliOptions analysis;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        List<String> sweep = sigma != null && sigma.contains(",") ? dev.mipeaks.analysis.SigmaSweep.parseSigmas(sigma)
                : List.of();
        Map<String, String> p = estimator.params(sweep.isEmpty() ? sigma : sweep.get(0));
        int t = libtorch.cpu.resolve(err());
        Path out = output.out;
        RunOptions o = new RunOptions(model.resolve(), data.dataset, data.dataDir,
                dev.mipeaks.eval.DatasetLoader.parseFields(fields), range.offset, range.limit(), layers, maxNewTokens,
                estimator.name, p, promptTemplate, !noSpecialTokens, sampling.temperature, sampling.topP, sampling.seed,
                stateDtype, placement.dtype, device, modelDevice, placement.layersPerDevice, placement.memoryCheck(), t,
                shard == null ? Shard.ALL : shard, chunk, out, null, !noReport, analysis.toOptions(), output.force,
                gtModel == null ? null : dev.mipeaks.model.ModelSource.resolve(gtModel, "--gt-model"));
        libtorch.load(t);
        dev.mipeaks.pipeline.RunEndToEnd.run(o, out(), err());
        if (!sweep.isEmpty() && !noReport) {
            dev.mipeaks.analysis.PeakSummary.write(out, analysis.toOptions(), dev.mipeaks.analysis.RunVocabulary.load(out, err()), sweep, t,
                    out(), err());
            out().flush();
        }
        return 0;
    }
}
