package dev.mipeaks.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mipeaks.mi.reference.DenseReference;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mathematical properties of the estimators, on generated hidden-state-like vectors. */
class PropertiesTest {
    static final EstimatorRegistry REG = EstimatorRegistry.load();

    /** Gaussian bulk plus a few large entries, like residual-stream states. */
    static double[] hiddenLike(Random r, int m) {
        double[] v = new double[m];
        for (int i = 0; i < m; i++) {
            v[i] = r.nextGaussian();
        }
        for (int k = 0; k < 4; k++) {
            v[r.nextInt(m)] = (r.nextBoolean() ? 1 : -1) * (100 + 600 * r.nextDouble());
        }
        return v;
    }

    /** {@code e(x1, y1)} equals {@code e(x2, y2)} to {@code rel} relative to max(1, |e(x1, y1)|). */
    static void assertSameEstimate(Estimator e, double[] x1, double[] y1, double[] x2, double[] y2, double rel,
                                   String name) {
        double a = e.estimate(x1, y1).value();
        double b = e.estimate(x2, y2).value();
        assertEquals(a, b, rel * Math.max(1, Math.abs(a)), name);
    }

    @Test
    void symmetricInXandY() {
        Random r = new Random(1);
        for (String name : new String[] {"nhsic", "hsic", "cka-linear", "cka-rbf"}) {
            Estimator e = REG.create(name, Map.of());
            for (int t = 0; t < 5; t++) {
                double[] x = hiddenLike(r, 300);
                double[] y = hiddenLike(r, 300);
                assertSameEstimate(e, x, y, y, x, 1e-10, name);
            }
        }
    }

    @Test
    void invariantToJointPermutationOfEntries() {
        Random r = new Random(2);
        for (String name : new String[] {"nhsic", "hsic", "cka-linear", "cka-rbf"}) {
            Estimator e = REG.create(name, Map.of());
            double[] x = hiddenLike(r, 257);
            double[] y = x.clone();
            for (int i = 0; i < y.length; i++) {
                y[i] += 3 * r.nextGaussian();
            }
            int[] perm = new Random(3).ints(0, 1_000_000).limit(257).toArray();
            Integer[] idx = new Integer[257];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            java.util.Arrays.sort(idx, (a, b) -> Integer.compare(perm[a], perm[b]));
            double[] xp = new double[257];
            double[] yp = new double[257];
            for (int i = 0; i < idx.length; i++) {
                xp[i] = x[idx[i]];
                yp[i] = y[idx[i]];
            }
            assertSameEstimate(e, x, y, xp, yp, 1e-9, name);
        }
    }

    @Test
    void nhsicOfAVectorWithItselfIsTheEigenvalueSum() {
        Random r = new Random(4);
        int m = 64;
        double eps = 1e-5;
        for (int t = 0; t < 3; t++) {
            double[] x = hiddenLike(r, m);
            for (int i = 0; i < m; i++) {
                x[i] *= 20; // spread the bulk so the spectrum is not trivial
            }
            double[] hkh = DenseReference.bothCentre(DenseReference.gaussianGram(x, 50), m);
            double expected = 0;
            for (double lambda : JacobiEigen.eigenvalues(hkh, m)) {
                double l = Math.max(lambda, 0);
                expected += Math.pow(l / (l + eps * m), 2);
            }
            double v = REG.create("nhsic", Map.of()).estimate(x, x).value();
            assertEquals(expected, v, 1e-8 * Math.max(1, expected));
        }
    }

    @Test
    void constantVectorsGiveZeroNotNaN() {
        double[] c = new double[100];
        java.util.Arrays.fill(c, 3.5);
        double[] x = hiddenLike(new Random(5), 100);
        for (String name : new String[] {"nhsic", "hsic", "cka-linear", "cka-rbf", "nhsic-ref", "hsic-ref",
                "cka-linear-ref", "cka-rbf-ref"}) {
            Estimator e = REG.create(name, Map.of());
            assertEquals(0.0, e.estimate(c, x).value(), 1e-12, name + " (const, x)");
            assertEquals(0.0, e.estimate(x, c).value(), 1e-12, name + " (x, const)");
            assertEquals(0.0, e.estimate(c, c).value(), 1e-12, name + " (const, const)");
        }
    }

    @Test
    void fastMatchesDenseOnRandomVectorsWithTiesAndOddLengths() {
        Random r = new Random(6);
        for (int m : new int[] {2, 3, 17, 101}) {
            double[] x = hiddenLike(r, m);
            double[] y = hiddenLike(r, m);
            for (int i = 0; i < m; i += 3) {
                x[i] = 0; // ties
            }
            for (String[] pair : new String[][] {{"nhsic", "nhsic-ref"}, {"hsic", "hsic-ref"},
                    {"cka-linear", "cka-linear-ref"}, {"cka-rbf", "cka-rbf-ref"}}) {
                for (String sigma : pair[0].startsWith("cka") ? new String[] {null} : new String[] {"50", "median", "0.3"}) {
                    Map<String, String> p = sigma == null ? Map.of() : Map.of("sigma", sigma);
                    double fast = REG.create(pair[0], p).estimate(x, y).value();
                    double dense = REG.create(pair[1], p).estimate(x, y).value();
                    assertEquals(dense, fast, 1e-8 * Math.max(1, Math.abs(dense)), pair[0] + " m=" + m + " sigma=" + sigma);
                }
            }
        }
    }

    @Test
    void rankAdaptsToHighRankInputs() {
        // sigma tiny relative to the spacing: the Gram is the identity, rank m; still exact.
        double[] x = new double[80];
        double[] y = new double[80];
        Random r = new Random(7);
        for (int i = 0; i < 80; i++) {
            x[i] = i * 10;
            y[i] = r.nextGaussian() * 100;
        }
        Estimate fast = REG.create("nhsic", Map.of("sigma", "0.5")).estimate(x, y);
        double dense = REG.create("nhsic-ref", Map.of("sigma", "0.5")).estimate(x, y).value();
        assertEquals(80, fast.rankX());
        assertEquals(dense, fast.value(), 1e-8 * Math.max(1, dense));
    }

    @Test
    void pairwiseMedianSelectionMatchesSorting() {
        Random r = new Random(8);
        for (int t = 0; t < 30; t++) {
            int m = 2 + r.nextInt(60);
            double[] x = new double[m];
            for (int i = 0; i < m; i++) {
                x[i] = r.nextInt(4) == 0 ? Math.round(r.nextGaussian()) : r.nextGaussian() * 10;
            }
            assertEquals(DenseReference.referenceSigma(x), PairwiseMedian.referenceSigma(x),
                    1e-12 * DenseReference.referenceSigma(x), "m=" + m);
            double[] d = DenseReference.squaredDistances(x);
            double[] nz = java.util.Arrays.stream(d).filter(v -> v != 0).sorted().toArray();
            double expected = nz.length == 0 ? 0 : DenseReference.median(nz);
            assertEquals(expected, PairwiseMedian.medianNonzeroSquared(x), 0.0, "m=" + m);
        }
    }

    @Test
    void nhsicIsNonNegativeAndBoundedByRank() {
        Random r = new Random(9);
        Estimator e = REG.create("nhsic", Map.of());
        for (int t = 0; t < 10; t++) {
            double[] x = hiddenLike(r, 512);
            double[] y = hiddenLike(r, 512);
            Estimate v = e.estimate(x, y);
            assertTrue(v.value() >= 0);
            assertTrue(v.value() <= Math.min(v.rankX(), v.rankY()) + 1e-9, "trace(RxRy) <= min rank");
        }
    }
}
