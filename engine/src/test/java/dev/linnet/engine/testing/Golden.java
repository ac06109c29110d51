package dev.linnet.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Where the reference checkpoints are: ../shared/golden (system property linnet.golden.dir) and test resources. */
public final class Golden {
    private Golden() {}

    /** The shared reference directory; tests that need it are skipped (not failed) when absent. */
    public static Path sharedDir() {
        String p = System.getProperty("linnet.golden.dir");
        Path dir = p != null ? Path.of(p) : Path.of("../../shared/golden");
        Assumptions.assumeTrue(Files.isDirectory(dir), "reference checkpoints not found at " + dir.toAbsolutePath());
        return dir;
    }

    /** The case handed to developers: ../shared/golden/minimax-tiny-hybrid. */
    public static Path tinyHybrid() {
        return sharedDir().resolve("minimax-tiny-hybrid");
    }

    /** A case kept in engine/src/test/resources/golden/. */
    public static Path resourceCase(String name) {
        Path dir = Path.of("src/test/resources/golden", name);
        if (!Files.isDirectory(dir)) throw new IllegalStateException("missing test case " + dir.toAbsolutePath());
        return dir;
    }
}
