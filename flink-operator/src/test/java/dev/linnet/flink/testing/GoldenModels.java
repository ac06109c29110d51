package dev.linnet.flink.testing;

import dev.linnet.engine.model.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's tiny reference checkpoint (engine/src/test/resources/golden), loaded once per test JVM. */
public final class GoldenModels {

    private static Model tiny;

    private GoldenModels() {}

    /** minimax-tiny-hybrid: vocab 512, hidden 64, 7 lightning layers and 1 softmax layer (window 48). */
    public static Path tinyDir() {
        String golden = System.getProperty("linnet.golden.dir", "../engine/src/test/resources/golden");
        Path dir = Path.of(golden, "minimax-tiny-hybrid");
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalStateException("tiny golden checkpoint not found at " + dir.toAbsolutePath()
                    + " (set -Dlinnet.golden.dir to engine/src/test/resources/golden)");
        }
        return dir;
    }

    public static synchronized Model tiny() {
        if (tiny == null) {
            try {
                tiny = Model.load(tinyDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tiny;
    }
}
