package dev.mipeaks.analysis;

/** One line of manifest.jsonl: a finished problem, analysed ({@code ok}) or skipped with a reason. */
public record ManifestEntry(int index, String id, String status, String reason, String file) {

    public boolean ok() {
        return RunLayout.STATUS_OK.equals(status);
    }
}
