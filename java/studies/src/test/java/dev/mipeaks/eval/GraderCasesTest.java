package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table of (prediction, ground truth, verdict, rule) cases in grader-cases.tsv. */
class GraderCasesTest {
    static MathGrader grader;

    record Case(int line, boolean expected, String prediction, String truth, String rule) {
    }

    @BeforeAll
    static void start() {
        grader = new MathGrader();
    }

    @AfterAll
    static void stop() {
        grader.close();
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = GraderCasesTest.class.getResourceAsStream("grader-cases.tsv");
             BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String s;
            int line = 0;
            while ((s = br.readLine()) != null) {
                line++;
                if (s.isBlank() || s.startsWith("#")) {
                    continue;
                }
                String[] f = s.split("\t", -1);
                if (f.length < 3) {
                    throw new IllegalStateException("grader-cases.tsv:" + line + ": expected 3 or 4 tab-separated fields");
                }
                out.add(new Case(line, f[0].equals("1"), f[1], f[2], f.length > 3 ? f[3].trim() : ""));
            }
        }
        return out;
    }

    static Stream<Arguments> table() throws IOException {
        return cases().stream().map(c -> Arguments.of(c.line(), c));
    }

    @Test
    void tableIsLargeAndCoversEveryRule() throws IOException {
        List<Case> cs = cases();
        assertTrue(cs.size() >= 150, "need >= 150 cases, have " + cs.size());
        for (String rule : List.of("string", "numeric", "tuple", "equation", "cas", "none")) {
            assertTrue(cs.stream().anyMatch(c -> c.rule().equals(rule) && c.expected()) || rule.equals("none"),
                    "no positive case for " + rule);
            assertTrue(cs.stream().anyMatch(c -> c.rule().equals(rule) && !c.expected()), "no negative case for " + rule);
        }
    }

    @ParameterizedTest(name = "line {0}")
    @MethodSource("table")
    void grades(int line, Case c) {
        Verdict v = c.prediction().startsWith("response:")
                ? grader.grade(c.prediction().substring("response:".length()), c.truth())
                : grader.compare(c.prediction(), c.truth());
        String where = "grader-cases.tsv:" + line + " [" + c.prediction() + "] vs [" + c.truth() + "] -> " + v;
        assertEquals(c.expected(), v.correct(), where);
        if (!c.rule().isEmpty()) {
            assertEquals(c.rule(), v.rule().label(), where);
        }
        // symmetric, except for extraction rows (one side is a response, not an answer)
        if (!c.prediction().startsWith("response:")) {
            Verdict back = grader.compare(c.truth(), c.prediction());
            assertEquals(c.expected(), back.correct(), where + " (swapped: " + back + ")");
        }
    }
}
