package dev.linnet.engine.model;

import dev.linnet.engine.io.ClasspathCheckpoint;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the default model lives: classpath resources of the engine jar (and of every jar that shades it),
 * from {@code engine/src/main/resources} in a source checkout. Every module names it through these constants.
 */
public final class DefaultModel {
    /** The resource folder of its files (config.json, tokenizer.json, the safetensors shards, the model card). */
    public static final String RESOURCE = "dev/linnet/engine/defaultmodel";

    /** The same folder in a source checkout, relative to the repository root. */
    public static final String SOURCE_PATH = "engine/src/main/resources/" + RESOURCE;

    private DefaultModel() {}

    /** Whether {@code loader} sees a default model (a build may come without one). */
    public static boolean present(ClassLoader loader) {
        return loader.getResource(RESOURCE + "/config.json") != null;
    }

    /** Copies it out of the class path into a temporary directory (see {@link ClasspathCheckpoint#extract}). */
    public static Path extract(ClassLoader loader) throws IOException {
        return ClasspathCheckpoint.extract(loader, RESOURCE);
    }
}
