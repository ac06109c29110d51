package dev.linnet.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A parsed model.safetensors.index.json: {"metadata": {...}, "weight_map": {"tensor": "shard file"}}.
 * Shard names are resolved against the index's directory and must stay inside it (a hostile index must
 * not make the reader open /etc/passwd or ../../something).
 */
final class ShardIndex {
    /** An index of a model with tens of thousands of tensors is a few MB; anything far past that is not one. */
    static final long MAX_INDEX_BYTES = 64L << 20;

    private final Path file;
    private final SortedMap<String, Path> shardOf;

    private ShardIndex(Path file, SortedMap<String, Path> shardOf) {
        this.file = file;
        this.shardOf = shardOf;
    }

    Path file() {
        return file;
    }

    /** Tensor name to the normalised path of its shard, sorted by name. */
    SortedMap<String, Path> shardOf() {
        return shardOf;
    }

    static ShardIndex read(Path indexFile) throws IOException {
        long size = Files.size(indexFile);
        if (size > MAX_INDEX_BYTES) {
            throw new CheckpointFormatException(
                    indexFile, "index of " + size + " bytes exceeds the limit of " + MAX_INDEX_BYTES + " bytes");
        }
        JsonNode root = StrictJson.parseObject(Files.readAllBytes(indexFile), indexFile, "index");
        JsonNode metadata = root.get("metadata");
        if (metadata != null && !metadata.isObject() && !metadata.isNull()) {
            throw new CheckpointFormatException(
                    indexFile, "\"metadata\" is not a JSON object: " + StrictJson.show(metadata));
        }
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new CheckpointFormatException(
                    indexFile, "no \"weight_map\" object (found " + StrictJson.show(map) + ")");
        }
        if (map.isEmpty()) {
            throw new CheckpointFormatException(indexFile, "\"weight_map\" lists no tensors");
        }
        Path dir = indexFile.toAbsolutePath().normalize().getParent();
        SortedMap<String, Path> shardOf = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String tensor = e.getKey();
            JsonNode v = e.getValue();
            if (!v.isTextual() || v.textValue().isEmpty()) {
                throw new CheckpointFormatException(
                        indexFile, tensor, "weight_map value is not a shard file name: " + StrictJson.show(v));
            }
            shardOf.put(tensor, resolveShard(indexFile, dir, tensor, v.textValue()));
        }
        return new ShardIndex(indexFile, Collections.unmodifiableSortedMap(shardOf));
    }

    private static Path resolveShard(Path indexFile, Path dir, String tensor, String shardName)
            throws CheckpointFormatException {
        Path shard;
        try {
            Path relative = Path.of(shardName);
            if (relative.isAbsolute()) {
                throw new CheckpointFormatException(
                        indexFile,
                        tensor,
                        "shard name " + CheckpointFormatException.quote(shardName)
                                + " is an absolute path; shards must lie in the index's directory");
            }
            shard = dir.resolve(relative).normalize();
        } catch (java.nio.file.InvalidPathException bad) {
            throw new CheckpointFormatException(
                    indexFile,
                    tensor,
                    "shard name " + CheckpointFormatException.quote(shardName) + " is not a valid path",
                    bad);
        }
        if (!shard.startsWith(dir) || shard.equals(dir)) {
            throw new CheckpointFormatException(
                    indexFile,
                    tensor,
                    "shard name " + CheckpointFormatException.quote(shardName) + " leads outside the index's directory "
                            + dir);
        }
        return shard;
    }
}
