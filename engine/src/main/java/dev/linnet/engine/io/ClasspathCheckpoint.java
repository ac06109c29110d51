package dev.linnet.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A checkpoint shipped as classpath resources (the default model inside a jar), copied once into a temporary
 * directory so it loads like any other: config.json, tokenizer.json if present, and model.safetensors or the
 * shards its index names. The directory is removed when the JVM exits.
 */
public final class ClasspathCheckpoint {
    private ClasspathCheckpoint() {}

    /**
     * @param prefix resource folder without leading slash, e.g. {@code dev.linnet.engine.model.DefaultModel.RESOURCE}
     * @return a directory holding the checkpoint's files
     */
    public static Path extract(ClassLoader loader, String prefix) throws IOException {
        String base = prefix.endsWith("/") ? prefix : prefix + "/";
        if (loader.getResource(base + "config.json") == null) {
            throw new CheckpointFormatException(
                    "no checkpoint on the classpath at " + base + " (config.json not found)");
        }
        Set<String> files = new LinkedHashSet<>();
        files.add("config.json");
        if (loader.getResource(base + "tokenizer.json") != null) files.add("tokenizer.json");
        if (loader.getResource(base + Checkpoint.SINGLE_FILE) != null) {
            files.add(Checkpoint.SINGLE_FILE);
        } else if (loader.getResource(base + Checkpoint.INDEX_FILE) != null) {
            files.add(Checkpoint.INDEX_FILE);
            try (InputStream in = loader.getResourceAsStream(base + Checkpoint.INDEX_FILE)) {
                JsonNode map = new ObjectMapper().readTree(in).path("weight_map");
                for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
                    String shard = it.next().asText();
                    if (shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
                        throw new CheckpointFormatException("classpath checkpoint " + base + ": shard name '" + shard
                                + "' is not a plain file name");
                    }
                    files.add(shard);
                }
            }
        } else {
            throw new CheckpointFormatException("classpath checkpoint " + base + " has neither "
                    + Checkpoint.SINGLE_FILE + " nor " + Checkpoint.INDEX_FILE);
        }
        Path dir = Files.createTempDirectory("linnet-model-");
        // the JVM deletes in the reverse order of registration: the files first, then their (by then empty) folder
        dir.toFile().deleteOnExit();
        for (String f : files) {
            try (InputStream in = loader.getResourceAsStream(base + f)) {
                if (in == null) throw new CheckpointFormatException("classpath checkpoint " + base + " lacks " + f);
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            dir.resolve(f).toFile().deleteOnExit();
        }
        return dir;
    }
}
