package dev.mipeaks.trace;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code mipeaks trace} was asked to do, already parsed (no LibTorch types: the CLI builds this before
 * any native library is loaded).
 *
 * @param model         the model folder or Hugging Face id, resolved
 * @param promptText    the prompt as text, or null when promptIds are given
 * @param promptIds     the prompt as ids, or null
 * @param layers        layers to capture; null = all
 * @param computeDtype  f32, bf16, f16 or null (f32 on every device)
 * @param stateDtype    F32 or BF16 storage of the captured states
 * @param device        cpu, cuda[:N], auto, or a list of devices the layers are split over
 * @param layersPerDevice layers of each listed device (e.g. "40,40"), or null for an even split
 * @param memoryCheck   refuse a run whose memory plan does not fit (positions are checked always)
 */
public record TraceOptions(dev.mipeaks.model.ModelSource model, String promptText, int[] promptIds, boolean chatTemplate,
                           boolean addSpecialTokens, int[] layers, int maxNewTokens, double temperature, double topP,
                           long seed, List<String> stopStrings, String device, String layersPerDevice,
                           String computeDtype, dev.mipeaks.io.DType stateDtype, boolean memoryCheck, Path out) {
}
