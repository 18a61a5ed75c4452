package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One time budget per answer: every stage keeps to it, and running past it is a TIMEOUT verdict with the stage. */
class BudgetTest {
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aGuardedRegexStopsAtTheDeadline() {
        // (.*a){12} on a run of a's and a mismatch backtracks ~n^12 ways: hours unguarded (seconds at n = 28)
        Budget b = Budget.start(Duration.ofMillis(200));
        Pattern p = Pattern.compile("(.*a){12}");
        Budget.Exceeded e = assertThrows(Budget.Exceeded.class,
                () -> p.matcher(b.guard("a".repeat(40) + "!", "test stage")).matches());
        assertEquals("test stage", e.stage());
        assertEquals("time budget of 200 ms ran out in test stage", e.getMessage());
        // unlimited: the same sequence comes back unwrapped
        String s = "abc";
        assertTrue(Budget.unlimited().guard(s, "x") == s);
    }

    @Test
    void tickChecksTheClockEveryFewCalls() {
        Budget b = Budget.start(Duration.ofNanos(1));
        long spin = System.nanoTime();
        while (System.nanoTime() - spin < 1_000_000) {
            Thread.onSpinWait();
        }
        assertThrows(Budget.Exceeded.class, () -> {
            for (int i = 0; i < 2000; i++) {
                b.tick("loop");
            }
        });
        assertThrows(Budget.Exceeded.class, () -> b.cap(Duration.ofSeconds(2), "cas"));
        assertThrows(IllegalArgumentException.class, () -> Budget.start(Duration.ZERO));
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSlowComparisonIsATimeoutNamingItsStage() {
        // (the JUnit timeout is the check that the budget stopped it: the roomy run below takes seconds)
        // 900 numbers against their rounded values in reverse: ~400k pairwise comparisons, seconds, not 50 ms
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 900; i++) {
            a.append(i == 1 ? "" : ",").append(i);
            b.append(i == 1 ? "" : ",").append(901 - i).append(".00001");
        }
        try (MathGrader g = new MathGrader(MathGrader.Options.defaults().withBudget(Duration.ofMillis(50)))) {
            Verdict v = g.compare(a.toString(), b.toString());
            assertFalse(v.correct());
            assertEquals(Rule.TIMEOUT, v.rule(), v.toString());
            assertTrue(v.reason().startsWith("time budget of 50 ms ran out in "), v.reason());
            // the same pair with time to spare is equal
            try (MathGrader roomy = new MathGrader(MathGrader.Options.defaults().withBudget(Duration.ofSeconds(60)))) {
                assertTrue(roomy.compare(a.toString(), b.toString()).correct());
            }
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theBudgetLimitsTheCas() {
        // expanding (x+1)^200 (y+1)^200 keeps the CAS busy for over 30 s when let run
        try (MathGrader g = new MathGrader(MathGrader.Options.defaults().withCasTimeout(Duration.ofSeconds(60))
                .withBudget(Duration.ofMillis(500))).warmUp()) {
            Verdict v = g.compare("(x+1)^{200}(y+1)^{200}", "x");
            assertEquals(Rule.TIMEOUT, v.rule(), v.toString());
            assertEquals("time budget of 500 ms ran out in the CAS", v.reason());
            // the CAS's own limit, when it is the shorter one, is named as such
            try (MathGrader h = new MathGrader(MathGrader.Options.defaults().withCasTimeout(Duration.ofMillis(300)))) {
                Verdict w = h.compare("(x+1)^{200}(y+1)^{200}", "x");
                assertEquals(Rule.TIMEOUT, w.rule(), w.toString());
                assertEquals("the CAS ran past its 300 ms limit", w.reason());
            }
        }
    }

    /**
     * Symja's size limits: 9^(9^9) (a 1.2-billion-bit integer) would keep the CAS busy for hours, past any timeout
     * (and on in the abandoned thread); with the limits it is given up at once and compared as unequal.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hugePowersStopAtTheCasLimits() {
        try (MathGrader g = new MathGrader(MathGrader.Options.defaults().withCasTimeout(Duration.ofSeconds(120))
                .withBudget(Duration.ofSeconds(120)))) {
            for (String huge : new String[] {"9^{9^{9}}", "2^{99999999}", "10^{2000000000}"}) {
                Verdict v = g.compare(huge, "5");
                assertFalse(v.correct(), v.toString());
                assertEquals(Rule.CAS, v.rule(), v.toString());
            }
        }
    }

    @Test
    void answersOverTheCapAreUndecidedWithTheReason() {
        try (MathGrader g = new MathGrader(MathGrader.Options.defaults().withMaxAnswerChars(20))) {
            Verdict v = g.compare("1".repeat(21), "1".repeat(21));
            assertFalse(v.correct());
            assertEquals(Rule.UNDECIDED, v.rule());
            assertEquals("answer has 21 characters, over the 20-character cap", v.reason());
            Verdict gt = g.compare("5", "x".repeat(30));
            assertEquals("ground truth has 30 characters, over the 20-character cap", gt.reason());
            // the cap is on the extracted answer, not on the response
            Verdict ok = g.grade("blah ".repeat(1000) + "\\boxed{5}", "5");
            assertTrue(ok.correct());
            assertEquals(null, ok.reason());
            Verdict longBox = g.grade("so \\boxed{" + "2".repeat(25) + "}", "5");
            assertEquals(Rule.UNDECIDED, longBox.rule());
            assertEquals(AnswerExtractor.Method.BOXED, longBox.extraction());
        }
    }
}
