package dev.mipeaks.eval;

/** A row that a non-strict load left out: where it is and why. */
public record SkippedRow(String file, long line, String reason) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
