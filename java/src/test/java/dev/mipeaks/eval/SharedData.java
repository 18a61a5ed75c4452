package dev.mipeaks.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates ../shared (surefire's mipeaks.shared) and skips, with a printed reason, when it is absent. */
final class SharedData {
    private SharedData() {
    }

    static Path dataRoot() {
        String shared = System.getProperty("mipeaks.shared", "../../shared");
        Path root = Path.of(shared, "data");
        if (!Files.isDirectory(root)) {
            System.out.println("SKIP: shared data not found at " + root.toAbsolutePath());
        }
        Assumptions.assumeTrue(Files.isDirectory(root), "shared data not found at " + root.toAbsolutePath());
        return root;
    }

    static Path tokenizers() {
        Path t = dataRoot().getParent().resolve("tokenizers");
        Assumptions.assumeTrue(Files.isDirectory(t), "shared tokenizers not found at " + t);
        return t;
    }
}
