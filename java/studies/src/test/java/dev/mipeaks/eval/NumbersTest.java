package dev.mipeaks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Numbers are exact rationals: no overflow, no underflow, tolerances applied exactly. */
class NumbersTest {
    private static Numbers.Num n(String s) {
        Numbers.Num v = Numbers.parse(s);
        assertNotNull(v, s);
        return v;
    }

    private static boolean eq(String a, String b) {
        return Numbers.equal(n(a), n(b));
    }

    @Test
    void parsesEveryForm() {
        assertTrue(eq("0.5", "\\frac{1}{2}"));
        assertTrue(eq("-0.75", "-\\frac{3}{4}"));
        assertTrue(eq("-0.75", "\\frac{-3}{4}"));
        assertTrue(eq("-0.75", "\\frac{3}{-4}"));
        assertTrue(eq("0.75", "-\\frac{-3}{4}"));
        assertTrue(eq("1.5", "\\frac{3.0}{2}"));
        assertTrue(eq("0.15", "\\frac{1.5}{10}"));
        assertTrue(eq("9.5", "9\\frac{1}{2}"));
        assertTrue(eq("-9.5", "-9\\frac{1}{2}"));
        assertTrue(eq("2500", "2.5\\times10^{3}"));
        assertTrue(eq("0.0025", "2.5\\cdot10^{-3}"));
        assertTrue(eq("1000", "1e3"));
        assertTrue(eq("0.001", "1E-3"));
        assertTrue(eq("0", "-0.0"));
        assertNull(Numbers.parse("\\frac{1}{0}"));
        assertNull(Numbers.parse("1\\frac{1}{0}"));
        assertNull(Numbers.parse("x"));
        assertNull(Numbers.parse("1.2.3"));
        assertNull(Numbers.parse(""));
        assertTrue(n("12").exact() && n("\\frac{1}{3}").exact() && n("1\\frac{1}{3}").exact());
        assertFalse(n("1.0").exact() || n("1e3").exact() || n("2\\times10^{3}").exact() || n("\\frac{1.5}{2}").exact());
    }

    @Test
    void valuesPastTheRangeOfADoubleAreExact() {
        String big = "1" + "0".repeat(309);
        assertFalse(eq(big, "5"));
        assertTrue(eq(big, "1e309"));
        assertFalse(eq(big, "1e308"));
        assertFalse(eq("1e400", "2e400"));
        assertFalse(eq("1e400", "-1e400"));
        assertFalse(eq("1e-400", "0"));
        assertFalse(eq("1e-400", "2e-400"));
        assertTrue(eq("1e-400", "0.1e-399"));
        assertTrue(eq("\\frac{" + "9".repeat(400) + "}{" + "9".repeat(400) + "}", "1"));
        assertFalse(eq("\\frac{1}{" + "9".repeat(400) + "}", "0"));
        assertFalse(eq("123456789012345678901234567890", "123456789012345678901234567891"));
        assertTrue(eq("1e99999999999999999999", "10e99999999999999999998"));
        assertFalse(eq("1e99999999999999999999", "1e99999999999999999998"));
        assertFalse(eq("1e99999999999999999999", "1e-99999999999999999999"));
        // near-equal magnitudes with far-apart exponents: 10^k vs 999...9 (k nines)
        assertFalse(eq("1e50", "9".repeat(50)));
        assertTrue(eq("1e50", "1" + "0".repeat(50)));
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hugeExponentsCostNothing() {
        // the powers of ten are never expanded when the magnitudes differ
        assertFalse(eq("1e2000000000", "1"));
        assertFalse(eq("1e-2000000000", "1"));
        assertFalse(Numbers.close(n("1e2000000000"), n("1e-2000000000"), 1e-4));
        assertTrue(Numbers.close(n("1.00001e2000000000"), n("1e2000000000"), 1e-4));
        assertFalse(Numbers.close(n("1.001e2000000000"), n("1e2000000000"), 1e-4));
    }

    @Test
    void toleranceIsExactAtItsEdge() {
        // |a - b| <= 1e-4 * max(|a|, |b|), decided exactly
        assertTrue(Numbers.close(n("1.0001"), n("1"), 1e-4)); // 1e-4 <= 1.0001e-4
        assertTrue(Numbers.close(n("10000"), n("9999"), 1e-4)); // 1 <= 1
        assertFalse(Numbers.close(n("10000"), n("9998.9999"), 1e-4));
        assertTrue(Numbers.close(n("1.00010001"), n("1"), 1e-4)); // 1.0001e-4 <= 1.00010001e-4
        assertFalse(Numbers.close(n("1.00011"), n("1"), 1e-4)); // 1.1e-4 > 1.00011e-4
        assertFalse(Numbers.close(n("0"), n("1e-400"), 1e-4));
        assertTrue(Numbers.close(n("0"), n("-0.0"), 1e-4));
        assertFalse(Numbers.close(n("-1"), n("1"), 1e-4));
    }

    /** Against BigDecimal on random values: the same verdicts, exact and with tolerance. */
    @Test
    void agreesWithBigDecimalOnRandomValues() {
        Random r = new Random(7);
        MathContext mc = new MathContext(200);
        for (int i = 0; i < 20_000; i++) {
            String a = randomNumber(r);
            String b = r.nextInt(4) == 0 ? a : r.nextInt(3) == 0 ? nudge(a, r) : randomNumber(r);
            BigDecimal x = new BigDecimal(a);
            BigDecimal y = new BigDecimal(b);
            assertEquals(x.compareTo(y) == 0, Numbers.equal(n(a), n(b)), a + " vs " + b);
            assertEquals(x.compareTo(y), Numbers.compare(n(a), n(b)), a + " <> " + b);
            boolean close = x.subtract(y).abs().multiply(BigDecimal.valueOf(10_000)).compareTo(x.abs().max(y.abs())) <= 0;
            assertEquals(close, Numbers.close(n(a), n(b), 1e-4), a + " ~ " + b);
            // fractions: a/b against the decimal quotient is never exact unless it terminates
            if (y.signum() != 0 && a.indexOf('e') < 0 && b.indexOf('e') < 0 && a.indexOf('-') < 0 && b.indexOf('-') < 0) {
                BigDecimal q = x.divide(y, mc);
                Numbers.Num frac = n("\\frac{" + a + "}{" + b + "}");
                assertTrue(Numbers.close(frac, n(q.toString().replace("E+", "e").replace("E", "e")), 1e-4), a + "/" + b);
            }
        }
    }

    /**
     * Unordered lists of numbers under one tolerance (all decimals, or all exact) are matched by sorting: the
     * verdict equals an exhaustive search for a one-to-one matching of items within the tolerance (a greedy match
     * could miss it: the tolerance is not transitive).
     */
    @Test
    void unorderedListsMatchLikeAnExhaustiveSearch() {
        String[][] sets = {
            {"1.00005", "0.99995", "1.0001", "1.00015", "0.9999", "1.00001", "2.5", "-1.00005", "-0.99995", "0.001",
                "0.0010001"},
            {"1", "2", "-1", "3", "\\frac{2}{4}", "\\frac{1}{2}", "\\frac{3}{1}", "1\\frac{1}{2}", "\\frac{6}{4}"}};
        Random r = new Random(11);
        try (MathGrader g = new MathGrader(MathGrader.Options.defaults().withCas(false))) {
            for (int round = 0; round < 4000; round++) {
                String[] values = sets[round % 2];
                int k = 2 + r.nextInt(4);
                String[] a = new String[k];
                String[] b = new String[k];
                for (int i = 0; i < k; i++) {
                    a[i] = values[r.nextInt(values.length)];
                    b[i] = values[r.nextInt(values.length)];
                }
                boolean expected = matching(a, b, 0, new boolean[k]);
                String pa = String.join(",", a);
                String pb = String.join(",", b);
                assertEquals(expected, g.compare(pa, pb).correct(), pa + " vs " + pb);
            }
        }
    }

    private static boolean matching(String[] a, String[] b, int i, boolean[] used) {
        if (i == a.length) {
            return true;
        }
        for (int j = 0; j < b.length; j++) {
            boolean exact = n(a[i]).exact() && n(b[j]).exact();
            if (!used[j] && Numbers.close(n(a[i]), n(b[j]), exact ? 0 : 1e-4)) {
                used[j] = true;
                if (matching(a, b, i + 1, used)) {
                    return true;
                }
                used[j] = false;
            }
        }
        return false;
    }

    private static String randomNumber(Random r) {
        StringBuilder s = new StringBuilder();
        if (r.nextInt(4) == 0) {
            s.append('-');
        }
        s.append(r.nextInt(r.nextBoolean() ? 10 : 100_000));
        if (r.nextBoolean()) {
            s.append('.').append(r.nextInt(10_000));
        }
        if (r.nextInt(3) == 0) {
            s.append('e').append(r.nextInt(800) - 400);
        }
        return s.toString();
    }

    /** {@code a} changed in its last digits by a relative ~1e-4 either way. */
    private static String nudge(String a, Random r) {
        BigDecimal x = new BigDecimal(a);
        BigDecimal f = BigDecimal.ONE.add(BigDecimal.valueOf(r.nextInt(21) - 10, 5)); // 1 +- up to 1e-4
        return x.multiply(f).toString().replace("E+", "e").replace("E", "e");
    }
}
