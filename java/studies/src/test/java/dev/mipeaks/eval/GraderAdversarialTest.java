package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adversarial set ({@link AdversarialAnswers}): every answer gets its verdict (where one is prescribed), with a
 * reason whenever it was not really decided, and no answer stalls: each runs under a JUnit timeout of three times
 * the grader's 10 s budget (a margin for a loaded machine). Before the exact numbers, 1e400 matched 5; before the
 * budget and the linear-time text steps, nine of these ran past 30 s and two crashed the run.
 */
class GraderAdversarialTest {
    static final List<AdversarialAnswers.Case> CASES = AdversarialAnswers.cases();
    static MathGrader grader;

    @BeforeAll
    static void start() {
        grader = new MathGrader().warmUp();
    }

    @AfterAll
    static void stop() {
        grader.close();
    }

    static Stream<Arguments> cases() {
        return CASES.stream().map(c -> Arguments.of(c.name(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void decidedWithinItsBudget(String name, AdversarialAnswers.Case c) {
        assertEquals(Duration.ofSeconds(10), grader.options().limits().budget());
        Verdict v = c.isResponse() ? grader.grade(c.text(), c.truth()) : grader.compare(c.text(), c.truth());
        String where = name + " -> " + v.correct() + " " + v.rule() + " (" + v.reason() + ")";
        if (c.correct() != null) {
            assertEquals(c.correct(), v.correct(), where);
        }
        if (c.rule() != null) {
            assertEquals(c.rule(), v.rule(), where);
        }
        if (v.rule() == Rule.TIMEOUT || v.rule() == Rule.UNDECIDED) {
            assertNotNull(v.reason(), where);
            assertTrue(!v.correct(), where);
        } else {
            assertNull(v.reason(), where);
        }
    }

    @Test
    void coversBothItems() {
        assertTrue(CASES.size() >= 50, "cases: " + CASES.size());
        assertTrue(CASES.stream().anyMatch(c -> c.rule() == Rule.UNDECIDED), "a case over the answer cap");
        assertTrue(CASES.stream().filter(c -> c.isResponse() && c.text().length() >= AdversarialAnswers.MB).count() >= 4,
                "megabyte responses");
        assertTrue(CASES.stream().filter(c -> c.rule() == Rule.NUMERIC && Boolean.FALSE.equals(c.correct())).count()
                >= 10, "overflowing numbers that must be unequal");
    }
}
