package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.SharedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every MATH-500 ground truth against itself and its harmless variants (boxed, \dfrac, spaces, $...$, a response
 * around it), and against the next row's answer (unequal unless the two really are the same value).
 */
class Math500AnswersTest {
    static MathGrader grader;
    static Dataset math;

    @BeforeAll
    static void load() {
        math = new DatasetLoader().withDataRoot(SharedData.require("data")).load("math500");
        grader = new MathGrader();
    }

    @AfterAll
    static void stop() {
        if (grader != null) {
            grader.close();
        }
    }

    /** Variants that must grade equal to the answer. */
    static List<String> variants(String a) {
        List<String> v = new ArrayList<>();
        v.add(a);
        v.add("\\boxed{" + a + "}");
        v.add("$" + a + "$");
        // spaces removed, except the one ending a macro name ("\\cot x" is not "\\cotx")
        v.add(" " + a.replaceAll("(?<!\\\\[a-zA-Z]{1,20}) ", "") + " ");
        v.add(a.replace("\\frac", "\\dfrac"));
        v.add(a.replace("\\dfrac", "\\frac"));
        v.add(a.replace(",", ", "));
        return v;
    }

    @Test
    void everyAnswerEqualsItselfAndItsVariants() {
        List<String> failures = new ArrayList<>();
        for (DatasetRecord r : math.records()) {
            for (String v : variants(r.answer())) {
                Verdict verdict = grader.compare(v, r.answer());
                if (!verdict.correct()) {
                    failures.add(r.index() + ": [" + v + "] vs [" + r.answer() + "] " + verdict.rule());
                }
            }
            Verdict inResponse = grader.grade("Let me think. ... So the answer is $\\boxed{" + r.answer() + "}$.", r.answer());
            if (!inResponse.correct()) {
                failures.add(r.index() + ": response with boxed answer failed " + inResponse);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    @Test
    void distinctAnswersAreUnequal() {
        List<String> failures = new ArrayList<>();
        int equalPairs = 0;
        for (int i = 0; i < math.size(); i++) {
            String a = math.get(i).answer();
            String b = math.get((i + 1) % math.size()).answer();
            // "x=5" and "5" are the same answer: compare the values after a one-letter "x=" prefix
            String na = MathNormalizer.normalize(a).replaceFirst("^[a-z]=", "");
            String nb = MathNormalizer.normalize(b).replaceFirst("^[a-z]=", "");
            Numbers.Num x = Numbers.parse(na);
            Numbers.Num y = Numbers.parse(nb);
            boolean sameValue = na.equals(nb) || x != null && y != null && Numbers.equal(x, y);
            Verdict v = grader.compare(a, b);
            if (sameValue) {
                equalPairs++;
                if (!v.correct()) {
                    failures.add(i + ": same value graded unequal: [" + a + "] vs [" + b + "]");
                }
            } else if (v.correct()) {
                failures.add(i + ": distinct answers graded equal: [" + a + "] vs [" + b + "] by " + v.rule());
            }
        }
        System.out.println("MATH-500 next-row pairs with the same value: " + equalPairs);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * The fast paths (strings, numbers) agree with the slow reference (the CAS alone) wherever the CAS can read
     * both sides: each answer against itself, its \dfrac variant and the next row's answer.
     */
    @Test
    void fastPathsAgreeWithCasReference() {
        try (MathGrader reference = new MathGrader(MathGrader.Options.defaults().withFastPaths(false))) {
            int compared = 0;
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < math.size(); i++) {
                String a = math.get(i).answer();
                String[] others = {a.replace("\\frac", "\\dfrac"), math.get((i + 1) % math.size()).answer()};
                for (String b : others) {
                    Verdict fast = grader.compare(b, a);
                    Verdict slow = reference.compare(b, a);
                    if (slow.rule() != Rule.CAS) {
                        continue; // the CAS could not read it (text, bases) or a structure rule decided
                    }
                    compared++;
                    if (fast.correct() != slow.correct()) {
                        failures.add(i + ": [" + b + "] vs [" + a + "] fast " + fast + " slow " + slow);
                    }
                }
            }
            System.out.println("fast-path vs CAS reference comparisons: " + compared);
            assertTrue(compared > 300, "too few CAS-readable pairs: " + compared);
            assertEquals(List.of(), failures);
        }
    }
}
