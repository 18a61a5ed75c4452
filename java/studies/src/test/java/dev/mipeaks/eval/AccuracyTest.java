package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One accuracy format everywhere: percent with one decimal and the counts; nothing graded is n/a, not 0%. */
class AccuracyTest {
    @Test
    void percentWithCounts() {
        assertEquals("42.0% (21/50)", Accuracy.format(21, 50));
        assertEquals("0.0% (0/7)", Accuracy.format(0, 7));
        assertEquals("100.0% (3/3)", Accuracy.format(3, 3));
        assertEquals("33.3% (1/3)", Accuracy.format(1, 3));
        assertEquals("n/a (0 graded)", Accuracy.format(0, 0));
        assertEquals("n/a", Accuracy.percent(Double.NaN));
    }

    @Test
    void gradeSummaryTablesUseIt() {
        GradeSummary s = new GradeSummary("math500");
        s.add(new DatasetRecord(0, "a", "p", "s", "1", "Algebra", 2, java.util.Map.of()),
                new Verdict(true, Rule.NUMERIC, "1", "1", AnswerExtractor.Method.BOXED));
        s.add(new DatasetRecord(1, "b", "p", "s", "2", "Algebra", 3, java.util.Map.of()),
                new Verdict(false, Rule.NUMERIC, "3", "2", AnswerExtractor.Method.BOXED));
        String t = s.format();
        assertTrue(t.contains("50.0% (1/2)") && t.contains("100.0% (1/1)") && t.contains("0.0% (0/1)"), t);
    }
}
