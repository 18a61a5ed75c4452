package dev.mipeaks;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Locale;

/**
 * Tests that need a program the build does not bring (headless Chromium, a Slurm cluster) skip with a printed
 * reason where it is missing, except where the environment says it must be there: {@code MIPEAKS_TEST_REQUIRE}
 * (or {@code -Dmipeaks.test.require}) lists tools, comma- or space-separated, e.g. "chromium slurm" (.ci/run sets it
 * for the packages it installed), and then a missing tool fails the test instead of skipping it.
 */
public final class ExternalTools {
    private ExternalTools() {
    }

    /** Whether {@code tool} is listed as required. */
    public static boolean required(String tool) {
        String v = System.getProperty("mipeaks.test.require", System.getenv("MIPEAKS_TEST_REQUIRE"));
        return v != null && Arrays.stream(v.toLowerCase(Locale.ROOT).split("[,\\s]+")).anyMatch(tool::equals);
    }

    /** Skips the calling test with {@code reason} unless {@code ok}; fails instead when the tool is required. */
    public static void assumeAvailable(String tool, boolean ok, String reason) {
        if (ok) {
            return;
        }
        if (required(tool)) {
            fail(tool + " is required here (MIPEAKS_TEST_REQUIRE) but " + reason);
        }
        System.out.println("SKIP: " + reason);
        assumeTrue(false, reason);
    }
}
