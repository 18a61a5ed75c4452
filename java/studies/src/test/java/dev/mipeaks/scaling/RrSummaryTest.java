package dev.mipeaks.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.eval.GradeSummary;
import dev.mipeaks.eval.GradingRules;
import dev.mipeaks.study.RunFolder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RR summary's warnings about triggers (shown in report.md), from config.json and the totals alone. */
class RrSummaryTest {
    static ObjectNode cfg(double p, List<String> words, List<String> noId) {
        ObjectNode c = RunFolder.JSON.createObjectNode();
        c.put("probability", p);
        words.forEach(c.putArray("trigger_words")::add);
        ObjectNode info = c.putObject(RunFolder.INFO);
        noId.forEach(info.putArray(RrSummary.WORDS_WITHOUT_ID)::add);
        return c;
    }

    static RrSummary.Totals totals(long candidates, long recycled) {
        Map<GradingRules, GradeSummary> byRules = Grading.summaries("d");
        return new RrSummary.Totals(3, 300, recycled, candidates, 1.0, byRules.get(GradingRules.STRICT), Map.of(),
                GradingRules.STRICT, byRules);
    }

    @Test
    void warnsWhenMostWordsHaveNoIdAndWhenTriggersNeverFire() {
        List<String> ten = List.of("So", "Let", "Hmm", "I", "The", "Okay", "That", "First", "Now", "Wait");
        ObjectNode bad = cfg(0.5, ten, List.of("So", "Let", "Hmm", "The", "Okay", "That", "First", "Now", "Wait"));
        List<String> w = RrSummary.warnings(bad, totals(0, 0));
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("9 of 10 trigger words") && w.get(0).contains("\"Wait\""), w.get(0));
        assertTrue(w.get(1).startsWith("the triggers never fired"), w.get(1));
        assertTrue(RrSummary.firingWarning(bad, totals(12, 0)).startsWith("the triggers came up 12 times"));
        ObjectNode good = cfg(0.5, ten, List.of("Okay"));
        assertEquals(List.of(), RrSummary.warnings(good, totals(40, 17)));
        // a greedy baseline (p = 0) never recycles by design: no firing warning
        assertNull(RrSummary.firingWarning(cfg(0, ten, List.of()), totals(0, 0)));
    }
}
