package dev.mipeaks.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mipeaks.SharedData;
import dev.mipeaks.io.SafetensorsFile;
import dev.mipeaks.mi.reference.DenseReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every estimator on every case of ../shared/parity against the exact float64 values. */
class ParityTest {
    record Case(String tensor, int row, int m, String kind, double[] x, double[] y, JsonNode expected) {
        String label() {
            return tensor + "[" + row + "] " + kind;
        }
    }

    static List<Case> cases() throws IOException {
        Path dir = SharedData.require("parity");
        JsonNode root = new ObjectMapper().readTree(dir.resolve("mi_expected.json").toFile());
        List<Case> out = new ArrayList<>();
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("mi_pairs.safetensors"))) {
            for (JsonNode c : root.get("cases")) {
                String t = c.get("tensor").asText();
                int row = c.get("row").asInt();
                out.add(new Case(t, row, c.get("m").asInt(), c.get("kind").asText(),
                        f.matrix(t + ".x").row(row), f.matrix(t + ".y").row(row), c));
            }
        }
        return out;
    }

    static void assertClose(double expected, double actual, double relTol, String what) {
        double tol = relTol * Math.max(1.0, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= tol,
                what + ": expected " + expected + ", got " + actual + " (diff " + Math.abs(expected - actual) + " > " + tol + ")");
    }

    /** (estimator, params, expected field, tolerance) */
    record Variant(String estimator, Map<String, String> params, String field, double tol) {
    }

    static final List<Variant> FAST = List.of(
            new Variant("nhsic", Map.of(), "nhsic_sigma50", 1e-8),
            new Variant("nhsic", Map.of("sigma", "200"), "nhsic_sigma200", 1e-8),
            new Variant("nhsic", Map.of("sigma", "median"), "nhsic_sigma_median", 1e-8),
            new Variant("hsic", Map.of(), "hsic_sigma50", 1e-8),
            new Variant("cka-linear", Map.of(), "cka_linear", 1e-9),
            new Variant("cka-rbf", Map.of(), "cka_rbf", 1e-9));

    @TestFactory
    Stream<DynamicTest> fastEstimatorsMatchExactValues() throws IOException {
        List<Case> cases = cases();
        EstimatorRegistry reg = EstimatorRegistry.load();
        List<DynamicTest> tests = new ArrayList<>();
        for (Variant v : FAST) {
            Estimator e = reg.create(v.estimator, v.params);
            for (Case c : cases) {
                tests.add(DynamicTest.dynamicTest(v.field + " " + c.label(), () ->
                        assertClose(c.expected.get(v.field).asDouble(), e.estimate(c.x, c.y).value(), v.tol,
                                v.field + " " + c.label())));
            }
        }
        return tests.stream();
    }

    /** The dense references are checked on the m = 64 and m = 512 cases (m = 4096 takes minutes per case). */
    @TestFactory
    Stream<DynamicTest> denseReferencesMatchExactValues() throws IOException {
        List<Case> cases = cases().stream().filter(c -> c.m <= 512).toList();
        EstimatorRegistry reg = EstimatorRegistry.load();
        List<Variant> refs = List.of(
                new Variant("nhsic-ref", Map.of(), "nhsic_sigma50", 1e-8),
                new Variant("nhsic-ref", Map.of("sigma", "median"), "nhsic_sigma_median", 1e-8),
                new Variant("hsic-ref", Map.of(), "hsic_sigma50", 1e-8),
                new Variant("cka-linear-ref", Map.of(), "cka_linear", 1e-9),
                new Variant("cka-rbf-ref", Map.of(), "cka_rbf", 1e-9));
        List<DynamicTest> tests = new ArrayList<>();
        for (Variant v : refs) {
            Estimator e = reg.create(v.estimator, v.params);
            for (Case c : cases) {
                tests.add(DynamicTest.dynamicTest(v.estimator + " " + v.field + " " + c.label(), () ->
                        assertClose(c.expected.get(v.field).asDouble(), e.estimate(c.x, c.y).value(), v.tol,
                                v.estimator + " " + c.label())));
            }
        }
        return tests.stream();
    }

    @Test
    void medianHeuristicEqualsMaterialisedMedian() throws IOException {
        for (Case c : cases()) {
            if (c.m > 512) {
                continue;
            }
            // the median itself is selected exactly; the mean fallback (sparse rows, median 0) differs in summation order
            for (double[] v : new double[][] {c.x, c.y}) {
                double dense = DenseReference.referenceSigma(v);
                assertEquals(dense, PairwiseMedian.referenceSigma(v), 1e-12 * dense, c.label());
            }
        }
    }
}
