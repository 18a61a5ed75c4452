package dev.mipeaks;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared (read-only test data); tests that need it skip with a printed reason when it is absent. */
public final class SharedData {
    private SharedData() {
    }

    /**
     * The shared folder: the {@code mipeaks.shared} system property when set (the Maven build always sets it; a
     * missing folder there means "no shared data", as in a user's clone), else ../shared or ../../shared from the
     * working directory (a test run from an IDE); null when absent.
     */
    public static Path root() {
        String prop = System.getProperty("mipeaks.shared");
        if (prop != null) {
            return Files.isDirectory(Path.of(prop)) ? Path.of(prop).toAbsolutePath().normalize() : null;
        }
        for (Path p : new Path[] {Path.of("../shared"), Path.of("../../shared")}) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /** The path {@code rel} under ../shared; skips the calling test (with a printed reason) if it is absent. */
    public static Path require(String rel) {
        Path root = root();
        Path p = root == null ? null : root.resolve(rel);
        boolean ok = p != null && Files.exists(p);
        if (!ok) {
            System.out.println("SKIP: ../shared/" + rel + " is absent (a user's clone has no shared/ test data)");
        }
        assumeTrue(ok, "../shared/" + rel + " is absent");
        return p;
    }

    /** The folder of the shared model {@code name} (models/NAME with its model.safetensors); skips if absent. */
    public static Path model(String name) {
        return require("models/" + name + "/model.safetensors").getParent();
    }
}
