package dev.mipeaks.generate;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code mipeaks trace} was asked to do, already parsed (no LibTorch types: the CLI builds this before
 * any native library is loaded).
 *
 * @param promptText    the prompt as text, or null when promptIds are given
 * @param promptIds     the prompt as ids, or null
 * @param layers        layers to capture; null = all
 * @param computeDtype  f32, bf16, f16 or null (f32 on every device)
 * @param stateDtype    F32 or BF16 storage of the captured states
 */
public record TraceOptions(Path model, String promptText, int[] promptIds, boolean chatTemplate,
                           boolean addSpecialTokens, int[] layers, int maxNewTokens, double temperature, double topP,
                           long seed, List<String> stopStrings, String device, String computeDtype,
                           dev.mipeaks.io.DType stateDtype, Path out) {
}
