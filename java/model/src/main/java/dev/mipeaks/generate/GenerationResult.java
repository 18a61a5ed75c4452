package dev.mipeaks.generate;

/**
 * One generated sequence.
 *
 * @param promptIds     the prompt
 * @param tokens        the generated ids, the stopping one included
 * @param stopReason    why it stopped
 * @param recycledSteps steps at which a layer was applied twice
 * @param prefillNanos  time of the prompt's forward pass (shared by a batch)
 * @param decodeNanos   time of the remaining steps (shared by a batch)
 */
public record GenerationResult(int[] promptIds, int[] tokens, StopReason stopReason, int recycledSteps,
                               long prefillNanos, long decodeNanos) {

    /** Decoding speed of the steps after the first (per sequence). */
    public double decodeTokensPerSecond() {
        int steps = tokens.length - 1;
        return steps <= 0 || decodeNanos <= 0 ? 0 : steps / (decodeNanos / 1e9);
    }
}
