package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.PyStr;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The paper's grading rules pinned to the reference's behaviour: each case is what MI-Peaks' applications/parser.py
 * ({@code strip_string}, {@code extract_answer}, {@code convert_word_number}), grader.py ({@code math_equal},
 * {@code parse_digits}, {@code numeric_equal}, {@code choice_answer_clean}) and the RR/TTTS scripts' glue return
 * for the input (worked out from their code, and checked by running those functions); the comment names the
 * function and the rule the case exercises.
 */
class PaperGraderTest {
    private static PaperGrader grader;

    @BeforeAll
    static void open() {
        grader = new PaperGrader(PaperGrader.Options.defaults().withPerAnswer(Duration.ofSeconds(60)));
    }

    @AfterAll
    static void close() {
        grader.close();
    }

    private static DynamicTest strip(String in, String want) {
        return DynamicTest.dynamicTest("strip_string " + in, () -> assertEquals(want,
                PaperNormalizer.stripString(in, false), in));
    }

    private static DynamicTest extract(String in, String want) {
        return DynamicTest.dynamicTest("extract_answer " + in, () -> assertEquals(want,
                PaperExtractor.extract(in).answer(), in));
    }

    private static DynamicTest equal(String pred, String ref, boolean want) {
        return DynamicTest.dynamicTest("math_equal " + pred + " | " + ref, () -> assertEquals(want,
                grader.mathEqual(pred, ref), pred + " vs " + ref));
    }

    private static DynamicTest full(String response, String answer, String wantPred, boolean want) {
        return DynamicTest.dynamicTest("grade " + response + " | " + answer, () -> {
            Verdict v = grader.grade(response, answer);
            assertEquals(wantPred, v.prediction(), response);
            assertEquals(want, v.correct(), response + " vs " + answer + ": " + v);
        });
    }

    @TestFactory
    Stream<DynamicTest> referenceBehaviour() {
        return Stream.of(
                // parser.py strip_string: a trailing \text{...} is a unit and goes
                strip("5\\text{ cm}", "5"),
                // parser.py strip_string -> _fix_fracs: \frac12 gets braces
                strip("\\frac12", "\\frac{1}{2}"),
                // parser.py strip_string -> _fix_a_slash_b: int/int becomes \frac
                strip("1/2", "\\frac{1}{2}"),
                // parser.py _fix_a_slash_b: int('01') prints as 1, the assert fails, the string stays
                strip("01/2", "01/2"),
                // parser.py strip_string: dfrac -> frac
                strip("\\dfrac{3}{4}", "\\frac{3}{4}"),
                // parser.py strip_string: percent signs removed
                strip("10\\%", "10"),
                // parser.py strip_string: 'x=' keys only match without the space; then the '=' split keeps the right side
                strip("x = 5", "5"),
                // parser.py strip_string: a left side of at most 2 characters before the only '=' goes
                strip("k=5", "5"),
                // parser.py strip_string: (\d+)\.0*$ drops trailing zeros
                strip("2.000", "2"),
                // parser.py strip_string: only all-zero decimals are dropped
                strip("2.50", "2.50"),
                // parser.py strip_string: a leading '.' gets a 0
                strip(".5", "0.5"),
                // parser.py strip_string: \left/\right and spaces removed
                strip("\\left( 1, 2 \\right)", "(1,2)"),
                // parser.py strip_string: 'a' is a unit (unit_texts) next to a non-word character: removed
                strip("a+b", "+b"),
                // parser.py _fix_sqrt: \sqrt2 -> \sqrt{2}
                strip("\\sqrt2", "\\sqrt{2}"),
                // parser.py convert_word_number (w2n.word_to_num)
                strip("five", "5"),
                // parser.py convert_word_number: a digit string is int() -> leading zeros go
                strip("0012", "12"),
                // parser.py strip_string: \text{...} unwrapped (the trailing-unit rule would leave nothing)
                strip("\\text{(C)}", "(C)"),
                // parser.py strip_string: ^\circ removed
                strip("3^\\circ", "3"),
                // parser.py strip_string: dollar signs removed
                strip("\\$5", "5"),
                // parser.py strip_string: array -> pmatrix
                strip("\\begin{array}{cc} 1 & 2 \\end{array}", "\\begin{pmatrix}1&2\\end{pmatrix}"),
                // parser.py strip_string: 'x\in' is removed before spaces are, so 'x \in' stays
                strip("x \\in [1, 2]", "x\\in[1,2]"),
                // parser.py strip_string: inf -> \infty
                strip("inf", "\\infty"),
                // parser.py strip_string: 'and' removed anywhere
                strip("3 and 4", "34"),
                // parser.py strip_string: j -> i when there is no i
                strip("2j", "2i"),
                // parser.py strip_string: \mbox{...} removed
                strip("12 \\mbox{ cm}", "12"),
                // parser.py strip_string: \emptyset -> {}
                strip("\\emptyset", "{}"),
                // parser.py strip_string: the real line -> \mathbb{R}
                strip("(-\\infty,\\infty)", "\\mathbb{R}"),
                // parser.py strip_string: unit 'ft' removed
                strip("5 ft", "5"),
                // parser.py strip_string: unit 'percent' removed
                strip("50 percent", "50"),
                // parser.py strip_string: trailing '.' stripped
                strip("\\frac{1}{2}.", "\\frac{1}{2}"),
                // parser.py strip_string: commas kept (parse_digits drops them later)
                strip("1,000", "1,000"),
                // parser.py strip_string: an expression without units is kept
                strip("x^2+1", "x^2+1"),
                // parser.py strip_string: \neq -> \ne, unit 'a' removed, 'b' kept (not a unit)
                strip("a \\neq b", "\\neb"),
                // parser.py strip_string: str.strip() removes Python whitespace (U+00A0, U+2007)
                strip("\u00a07\u2007", "7"),
                // parser.py convert_word_number: 'point' and decimal digit words
                strip("two point five", "2.5"),
                // parser.py convert_word_number: '-' reads as a space
                strip("twenty-one", "21"),
                // parser.py convert_word_number: thousands multiplier from 'one hundred'
                strip("one hundred thousand", "100000"),
                // parser.py convert_word_number: a repeated 'million' raises, the text stays (spaces removed later)
                strip("million million", "millionmillion"),
                // parser.py strip_string: unit 'm' removed, '3.0' -> '3'
                strip("3.0 m", "3"),
                // parser.py strip_string: tfrac -> frac
                strip("\\tfrac{1}{3}", "\\frac{1}{3}"),
                // parser.py extract_answer: the last 'boxed', braces matched
                extract("so \\boxed{\\frac{1}{2}} done", "\\frac{1}{2}"),
                // parser.py extract_answer: 'boxed' without a brace: up to the next '$'
                extract("\\boxed 5$ and more", "5"),
                // parser.py extract_answer: after 'he answer is', trailing '.' dropped
                extract("The answer is 42.", "42"),
                // parser.py extract_answer: 'he answer is' is checked before 'final answer is'
                extract("The final answer is 7 and the answer is 8", "8"),
                // parser.py extract_answer: the minerva sentence first
                extract("The final answer is $3$. I hope it is correct.", "3"),
                // parser.py extract_answer: the last number, thousands commas removed
                extract("I got 1,234 and then 5,678 apples", "5678"),
                // parser.py extract_answer: nothing found -> ''
                extract("no numbers here", ""),
                // parser.py extract_answer: an unclosed box runs to the end
                extract("\\boxed{unclosed {x}", "unclosed{x}"),
                // parser.py extract_answer: the last box wins
                extract("\\boxed{a}\\boxed{b}", "b"),
                // parser.py extract_answer: the Chinese 'the answer is', up to a blank line
                extract("\u7b54\u6848\u662f 12\n\nmore", "12"),
                // parser.py extract_answer: a leading ':' dropped
                extract("The answer is: 12", "12"),
                // parser.py extract_answer: a trailing '/' dropped
                extract("final answer is 9/", "9"),
                // parser.py extract_answer: 'boxed' at the very end returns ''
                extract("boxed", ""),
                // parser.py extract_answer: last number by -?\d*\.?\d+, then strip_string adds the 0
                extract("values -3.5 and .25", "0.25"),
                // grader.py math_equal -> numeric_equal: isclose(rel_tol=1e-4)
                equal("13536", "13535", true),
                // grader.py math_equal: include_percentage tries reference*100
                equal("500", "5", true),
                // grader.py math_equal: include_percentage tries reference/100
                equal("0.05", "5", true),
                // grader.py parse_digits: a trailing % reads as /100
                equal("5%", "0.05", true),
                // grader.py math_equal: [a, b] vs (c, d) compared element-wise, brackets ignored
                equal("(1,2)", "[1,2]", true),
                // grader.py math_equal: element-wise, one part differs
                equal("(1,2)", "(1,3)", false),
                // grader.py math_equal: equal strings
                equal("[1,2)", "[1,2)", true),
                // grader.py parse_digits: commas removed
                equal("1,000", "1000", true),
                // grader.py math_equal: two numbers decide, unequal
                equal("2", "3", false),
                // grader.py math_equal: 'x=' with a short left side vs a bare value
                equal("x=2", "2", true),
                // grader.py math_equal: a bare value vs 'y=' on the reference
                equal("2", "y=2", true),
                // grader.py math_equal: pmatrix rows and '&' cells element-wise, numbers within 1e-4
                equal("\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}1\\\\2.00001\\end{pmatrix}", true),
                // grader.py math_equal: pmatrix with a differing cell
                equal("\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}1\\\\3\\end{pmatrix}", false),
                // grader.py math_equal -> choice_answer_clean: the letter of '(A)'
                equal("(A)", "A", true),
                // grader.py math_equal: commas removed, then within 1e-4
                equal("13,536", "13535", true),
                // grader.py numeric_equal: within rel 1e-4
                equal("12.0001", "12", true),
                // grader.py numeric_equal: outside rel 1e-4 (and not x100 or /100)
                equal("12.01", "12", false),
                // grader.py math_equal: case-insensitive string equality
                equal("abc", "ABC", true),
                // grader.py math_equal: braces and parentheses removed before comparing
                equal("{1,2}", "(1,2)", true),
                // grader.py math_equal: an interval's open/closed ends are not compared
                equal("(1,2]", "[1,2)", true),
                // grader.py parse_digits: Python float() accepts underscores
                equal("1_000", "1000", true),
                // grader.py math_equal: both sides .strip()ped
                equal("  7 ", "7", true),
                // grader.py numeric_equal: isclose with no absolute tolerance: 0 only equals 0
                equal("0", "0.00001", false),
                // grader.py math_equal: signs differ
                equal("-5", "5", false),
                // grader.py math_equal: tuples of different lengths
                equal("(1,2,3)", "(1,2)", false),
                // grader.py math_equal: two equations compared as lhs - (rhs) (symbolic_equal): x-1 vs y-1
                equal("x=1", "y=1", false),
                // grader.py parse_digits: '\%' at the end reads as /100
                equal("20\\%", "0.2", true),
                // grader.py parse_digits: Python float() reads exponents
                equal("2.5e3", "2500", true),
                // grader.py math_equal: an empty prediction is never equal to a non-empty reference
                equal("", "0", false),
                // TTTS_evaluate/RR_evaluate glue + evaluate: boxed 13,536 vs 13535 is correct (issue #13)
                full("The answer is $\\boxed{13,536}$.", "13535", "13,536", true),
                // RR_evaluate.main: the response is cut at the first stop word ('</s>')
                full("so \\boxed{5}</s> then \\boxed{7}", "5", "5", true),
                // parser.py run_execute: an empty response has no prediction (None): wrong
                full("   ", "5", null, false),
                // RR_evaluate.main: a letter ground truth falls back to choice_answer_clean of the response
                full("Final: C", "C", "C", true),
                // parser.py extract_answer: the last number is '2' of '1/2'
                full("we get 1/2", "0.5", "2", false),
                // grader.py math_equal: tuple vs interval brackets (issue #13)
                full("The answer is \\boxed{(1, 2)}", "[1,2]", "(1,2)", true),
                // parser.py strip_string drops '%', then reference*100 ... 10 vs 1000 correct
                full("Thus \\boxed{10\\%}.", "1000", "10", true),
                // RR_evaluate.main: a multi-letter ground truth keeps the letters of the prediction
                full("The answer is: BD", "BD", "BD", true),
                // parser.py strip_string: the short left side of '=' goes
                full("\\boxed{x = 4}", "4", "4", true),
                // parser.py extract_answer: 'he answer is' before 'final answer is' (issue #13)
                full("the final answer is 12, and the answer is 11", "11", "11", true),
                // parser.py parse_ground_truth + strip_string: the ground truth is normalised too; unit 'apples' goes, \text unwrapped
                full("12 apples", "\\text{12 apples}", "12", true)
        );
    }

    @Test
    void verdictsNameTheDecidingRule() {
        assertEquals(Rule.NUMERIC, grader.grade("\\boxed{13536}", "13535").rule());
        assertEquals(Rule.TUPLE, grader.grade("\\boxed{(1,2)}", "[1,2]").rule());
        assertEquals(Rule.STRING, grader.grade("\\boxed{x+1}", "x+1").rule());
        assertEquals(Rule.NONE, grader.grade("", "1").rule());
        assertEquals(AnswerExtractor.Method.THE_ANSWER, grader.grade("The answer is 3", "3").extraction());
        assertEquals(AnswerExtractor.Method.LAST_NUMBER, grader.grade("so 3", "3").extraction());
    }

    /** Deliberately unlike the reference: Python's float makes both inf and math.isclose(inf, inf) is true. */
    @Test
    void overflowedNumbersAreNeverEqual() {
        assertFalse(grader.mathEqual("1e400", "2e400"));
        assertFalse(grader.mathEqual("-1e999", "-5e400"));
        assertFalse(grader.grade("\\boxed{1e400}", "1e500").correct());
        assertTrue(grader.mathEqual("1e400", "1e400")); // the same text is equal as a string, as in the reference
        assertFalse(PaperGrader.numericEqual(Double.NaN, Double.NaN));
        assertTrue(PaperGrader.numericEqual(1e300, 1.00001e300));
    }

    /** Symbolic steps (the reference's sympy symbolic_equal) run on Symja. */
    @Test
    void symbolicEquality() {
        assertTrue(grader.grade("\\boxed{\\frac{x+2}{7}}", "\\frac{x}{7}+\\frac{2}{7}").correct());
        assertTrue(grader.grade("\\boxed{2\\sqrt{2}}", "\\sqrt{8}").correct());
        assertFalse(grader.grade("\\boxed{x+1}", "x+2").correct());
        // equations: lhs - (rhs) compared, also with the sign flipped
        assertTrue(grader.mathEqual("y=2x+1", "2x+1=y"));
    }

    @Test
    void helpers() {
        assertEquals(" (Yes or No)", PaperGrader.questionSuffix("\\text{Yes}"));
        assertEquals(" (True or False)", PaperGrader.questionSuffix("false"));
        assertEquals("", PaperGrader.questionSuffix("5"));
        assertEquals(List.of("</s>", "<|im_end|>", "<|endoftext|>", "\n\nQuestion:"), PaperGrader.stopWords("cot"));
        assertEquals(PaperGrader.STOP_WORDS, PaperGrader.stopWords("deepseek-math"));
        assertEquals("\\frac{1}{2}", PaperGrader.groundTruth("1/2"));
        assertEquals(1000.0, PaperGrader.parseDigits("1,000"));
        assertEquals(0.05, PaperGrader.parseDigits("5%"));
        assertNull(PaperGrader.parseDigits("5 apples"));
        // Python's float() and repr()
        assertEquals(12.0, PyStr.parseFloat(" 1_2 "));
        assertNull(PyStr.parseFloat("1__2"));
        assertNull(PyStr.parseFloat("_1"));
        assertEquals(Double.POSITIVE_INFINITY, PyStr.parseFloat("1e400"));
        assertEquals("2.5", PyStr.repr(2.5));
        assertEquals("1e-05", PyStr.repr(1e-5));
        assertEquals("0.0001", PyStr.repr(1e-4));
        assertEquals("1e+16", PyStr.repr(1e16));
        assertEquals("1000000000000000.0", PyStr.repr(1e15));
        assertEquals("0.1", PyStr.repr(0.1));
    }

    /** The per-answer budget ends a comparison that runs long (a huge response through strip_string's regexes). */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aLongAnswerRunsOutOfTimeInsteadOfHanging() {
        String huge = "\\boxed{" + "a b ".repeat(400_000) + "}";
        try (PaperGrader quick = new PaperGrader(PaperGrader.Options.defaults().withPerAnswer(Duration.ofMillis(200)))) {
            Verdict v = quick.grade(huge, "1");
            assertEquals(Rule.TIMEOUT, v.rule());
            assertFalse(v.correct());
            // the grader is still usable afterwards
            assertTrue(quick.grade("\\boxed{1}", "1").correct());
        }
    }
}
