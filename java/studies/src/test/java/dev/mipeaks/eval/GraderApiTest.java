package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.SharedData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class GraderApiTest {
    @Test
    void casTimeoutCountsAsWrongAndTheGraderRecovers() {
        try (MathGrader g = new MathGrader(MathGrader.Options.defaults().withCasTimeout(Duration.ofNanos(1)))) {
            g.warmUp();
            Verdict v = g.compare("(x+1)^{12}", "x^{12}+12x^{11}+66x^{10}");
            assertFalse(v.correct());
            assertEquals(Rule.TIMEOUT, v.rule());
            // fast paths do not need the CAS and are unaffected
            assertTrue(g.compare("\\frac12", "0.5").correct());
        }
        try (MathGrader g = new MathGrader()) {
            assertTrue(g.compare("(x+1)^2", "x^2+2x+1").correct());
        }
    }

    @Test
    void withoutCasSymbolicFormsAreUnequalButFastRulesWork() {
        try (MathGrader g = new MathGrader(MathGrader.Options.defaults().withCas(false))) {
            assertFalse(g.compare("2\\sqrt{3}", "\\sqrt{12}").correct());
            assertTrue(g.compare("(1, 0.5)", "(1,\\frac{1}{2})").correct());
            assertTrue(g.compare("x=3", "3").correct());
        }
    }

    @Test
    void extraction() {
        assertEquals("\\frac{1}{2}", AnswerExtractor.lastBoxed("a \\boxed{1} b \\boxed{\\frac{1}{2}}"));
        assertEquals("a{b}c", AnswerExtractor.lastBoxed("\\boxed{a{b}c}"));
        assertEquals("5", AnswerExtractor.lastBoxed("$\\boxed 5$"));
        assertNull(AnswerExtractor.lastBoxed("\\boxed{open"));
        assertEquals(AnswerExtractor.Method.LAST_NUMBER, AnswerExtractor.extract("x is 3 or -4.5").method());
        assertEquals("-4.5", AnswerExtractor.extract("x is 3 or -4.5").answer());
        assertEquals(AnswerExtractor.Method.NONE, AnswerExtractor.extract("nothing").method());
        assertEquals("7", AnswerExtractor.extract("The final answer is 7. The answer is 8").answer());
    }

    /** Parallel grading gives the verdicts sequential grading gives. */
    @Test
    void parallelEqualsSequential() throws Exception {
        Dataset math = new DatasetLoader().withDataRoot(SharedData.require("data")).withLimit(200).load("math500");
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < math.size(); i++) {
            pairs.add(new String[] {math.get((i + 1) % math.size()).answer(), math.get(i).answer()});
            pairs.add(new String[] {math.get(i).answer() + "+1", math.get(i).answer()});
        }
        List<Verdict> seq = new ArrayList<>();
        try (MathGrader g = new MathGrader()) {
            for (String[] p : pairs) {
                seq.add(g.compare(p[0], p[1]));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (MathGrader g = new MathGrader(MathGrader.Options.defaults().withCasWorkers(2))) {
            List<Future<Verdict>> fs = new ArrayList<>();
            for (String[] p : pairs) {
                fs.add(pool.submit(() -> g.compare(p[0], p[1])));
            }
            for (int i = 0; i < pairs.size(); i++) {
                assertEquals(seq.get(i), fs.get(i).get(), "pair " + i);
            }
        } finally {
            pool.shutdown();
        }
    }
}
