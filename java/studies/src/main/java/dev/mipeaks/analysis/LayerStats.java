package dev.mipeaks.analysis;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Table 1 (per peak rule) and the MI distribution statistics for one layer, or for all layers together
 * ({@code layer == null}: every problem-layer trajectory counts as one).
 */
public record LayerStats(Integer layer, Map<PeakRule, PeakTable> table1, MiSummary mi) {

    public PeakTable table(PeakRule rule) {
        return table1.get(rule);
    }

    static final class Builder {
        private final Integer layer;
        private final Map<PeakRule, PeakTable.Builder> tables = new EnumMap<>(PeakRule.class);
        private final MiSummary.Builder mi = new MiSummary.Builder();

        Builder(Integer layer, List<PeakRule> rules) {
            this.layer = layer;
            for (PeakRule r : rules) {
                tables.put(r, new PeakTable.Builder(r));
            }
        }

        void add(SequenceStats s) {
            tables.values().forEach(t -> t.add(s));
            mi.add(s);
        }

        LayerStats build() {
            Map<PeakRule, PeakTable> t = new EnumMap<>(PeakRule.class);
            tables.forEach((r, b) -> t.put(r, b.build()));
            return new LayerStats(layer, t, mi.build());
        }
    }
}
