package dev.linnet.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the reference cases are: engine/src/test/resources/golden (see its README), found through the system
 * property linnet.golden.dir that each module's build sets, or relative to the engine module. They are part of the
 * repository, so a missing case fails the test that needs it.
 */
public final class Golden {
    private Golden() {}

    /** The folder holding every reference case. */
    public static Path dir() {
        String p = System.getProperty("linnet.golden.dir");
        Path dir = p != null ? Path.of(p) : Path.of("src/test/resources/golden");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("reference cases not found at " + dir.toAbsolutePath()
                    + " (set -Dlinnet.golden.dir to engine/src/test/resources/golden)");
        }
        return dir;
    }

    /** The case most tests use: minimax-tiny-hybrid (7 lightning layers and 1 softmax layer, vocab 512). */
    public static Path tinyHybrid() {
        return resourceCase("minimax-tiny-hybrid");
    }

    /** One case by its folder name. */
    public static Path resourceCase(String name) {
        Path dir = dir().resolve(name);
        if (!Files.isDirectory(dir)) throw new IllegalStateException("missing test case " + dir.toAbsolutePath());
        return dir;
    }
}
