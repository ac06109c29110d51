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

    /**
     * A copy of the tiny checkpoint in {@code dir} whose config mixes in the default history predictor: a state of
     * megabytes, mostly the history's tables, as with the default model.
     */
    public static Path tinyWithHistory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(tinyDir())) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, dir.resolve(f.getFileName()));
        }
        Path config = dir.resolve("config.json");
        String json = Files.readString(config).strip();
        if (json.contains("linnet_history") || !json.endsWith("}")) {
            throw new IllegalStateException("unexpected tiny config: " + config);
        }
        config.toFile().setWritable(true);
        Files.writeString(config, json.substring(0, json.length() - 1) + ", \"linnet_history\": {}}\n");
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
