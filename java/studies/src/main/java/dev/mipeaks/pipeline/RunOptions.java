package dev.mipeaks.pipeline;

import dev.mipeaks.MipeaksException;
import dev.mipeaks.analysis.AnalysisOptions;
import dev.mipeaks.generate.GenerationConfig;
import dev.mipeaks.io.DType;
import dev.mipeaks.model.ModelSource;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything {@code mipeaks run} was asked to do, parsed (no LibTorch types: the CLI builds this before any native
 * library is loaded). Fields marked (id) belong to the run's identity in config.json: a folder holding a run with
 * other values of them is refused rather than mixed.
 *
 * @param model            the model folder or Hugging Face id, resolved (id: the folder or the hub id and its snapshot
 *                         hash, and a fingerprint of config, tokenizer and weights)
 * @param dataset          a dataset name (math500, aime24, gsm8k) or a JSONL/CSV path (id: also the file's sha-256)
 * @param dataRoot         where named datasets live, or null for {@code DatasetLoader.defaultDataRoot()}
 * @param fields           canonical field to source field mapping for other files (id)
 * @param offset           skip this many problems (id)
 * @param limit            at most this many problems after the offset, -1 = all (id)
 * @param layers           "all", "last" or a comma list of layer indices (id, resolved against the model)
 * @param maxNewTokens     generation budget per problem (id)
 * @param estimator        MI estimator name (id)
 * @param estimatorParams  estimator parameters as text, e.g. sigma=50 (id, resolved with defaults)
 * @param promptTemplate   raw (the problem text, as the paper), chat, or a reference template by name ({@link dev.mipeaks.eval.Prompts#NAMES}) (id)
 * @param addSpecialTokens tokenize with the tokenizer's special tokens (e.g. a Llama BOS), as transformers'
 *                         default; the chat template carries its own and ignores this (id)
 * @param temperature      0 = greedy (id), with topP and seed
 * @param stateDtype       F32 or BF16 storage of hidden states; MI is computed on exactly the stored values (id)
 * @param computeDtype     model compute dtype f32|bf16|f16, or null for the device default (id, resolved)
 * @param device           MI backend device: auto, cpu, cuda or cuda:N
 * @param modelDevice      model device cpu|cuda[:N]|auto or a list of devices the layers are split over, or null to
 *                         follow {@code device} (auto: the GPUs when the run fits them, see MemoryPlan.auto)
 * @param layersPerDevice  layers of each model device (e.g. "40,40"), or null for an even split
 * @param memoryCheck      refuse a run whose memory plan does not fit (positions are checked always)
 * @param threads          CPU threads for LibTorch and the CPU MI backend
 * @param shard            which problems this process owns (k % n == i)
 * @param chunk            steps per MI batch (states of at most ~2 chunks per layer are held in memory)
 * @param out              the run folder
 * @param notice           a line every output of the run repeats (the demo: "random weights"), or null
 * @param report           write peaks, stats, thinking tokens, plots and report.md at the end
 * @param analysis         peak options for that report
 * @param force            write into a non-empty {@code out} folder that holds no run
 * @param gtModel          another checkpoint (folder or Hugging Face id; same hidden size, at least as many layers)
 *                         whose forward pass of the solution gives the ground-truth states, as the reference's
 *                         cal_mi.py --gt_model; null: the model itself (id: path or hub id and snapshot, fingerprint)
 */
public record RunOptions(ModelSource model, String dataset, Path dataRoot, Map<String, String> fields, int offset,
                         int limit, String layers, int maxNewTokens, String estimator,
                         Map<String, String> estimatorParams, String promptTemplate, boolean addSpecialTokens,
                         double temperature, double topP, long seed, DType stateDtype, String computeDtype,
                         String device, String modelDevice, String layersPerDevice, boolean memoryCheck, int threads,
                         Shard shard, int chunk, Path out, String notice, boolean report, AnalysisOptions analysis,
                         boolean force, ModelSource gtModel) {

    /** Ground truth from the model itself. */
    public RunOptions(ModelSource model, String dataset, Path dataRoot, Map<String, String> fields, int offset,
                      int limit, String layers, int maxNewTokens, String estimator,
                      Map<String, String> estimatorParams, String promptTemplate, boolean addSpecialTokens,
                      double temperature, double topP, long seed, DType stateDtype, String computeDtype,
                      String device, String modelDevice, String layersPerDevice, boolean memoryCheck, int threads,
                      Shard shard, int chunk, Path out, String notice, boolean report, AnalysisOptions analysis,
                      boolean force) {
        this(model, dataset, dataRoot, fields, offset, limit, layers, maxNewTokens, estimator, estimatorParams,
                promptTemplate, addSpecialTokens, temperature, topP, seed, stateDtype, computeDtype, device, modelDevice,
                layersPerDevice, memoryCheck, threads, shard, chunk, out, notice, report, analysis, force, null);
    }

    public RunOptions {
        fields = Map.copyOf(fields);
        estimatorParams = Map.copyOf(estimatorParams);
        // --max-new-tokens, --temperature, --top-p: checked here, before the run folder is touched
        GenerationConfig.sampling(maxNewTokens, temperature, topP, seed);
        if (offset < 0) {
            throw MipeaksException.invalid("--offset must be >= 0, got " + offset);
        }
        if (threads < 1) {
            throw MipeaksException.invalid("--threads must be >= 1, got " + threads);
        }
        if (chunk < 1) {
            throw MipeaksException.invalid("--mi-chunk must be >= 1, got " + chunk);
        }
        if (stateDtype != DType.F32 && stateDtype != DType.BF16) {
            throw MipeaksException.invalid("--state-dtype must be f32 or bf16, got " + stateDtype);
        }
    }

    /** Parses --state-dtype. */
    public static DType parseStateDtype(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "f32", "float32" -> DType.F32;
            case "bf16", "bfloat16" -> DType.BF16;
            default -> throw MipeaksException.invalid("--state-dtype " + s + ": expected f32 or bf16");
        };
    }
}
