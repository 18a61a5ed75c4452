package dev.mipeaks.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of manifest.jsonl: a finished problem, analysed ({@code ok}) or skipped with a reason. Written by Jackson
 * in this order ({@code reason} and {@code file} only when present).
 */
public record ManifestEntry(int index, String id, String status, @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String file) {

    public boolean ok() {
        return RunLayout.STATUS_OK.equals(status);
    }
}
