package dev.linnet.engine.io;

import static dev.linnet.engine.io.SafetensorsBytes.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharded checkpoints whose index and shards disagree, or whose index is malformed or hostile. */
class ShardedCheckpointHostileTest {
    @TempDir
    Path dir;

    private Path index(String json) throws Exception {
        return Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), json);
    }

    private CheckpointFormatException refused(String... mustContain) {
        CheckpointFormatException e = assertThrows(
                CheckpointFormatException.class, () -> Checkpoint.open(dir).close());
        for (String s : mustContain) {
            assertTrue(e.getMessage().contains(s), "message should contain \"" + s + "\": " + e.getMessage());
        }
        return e;
    }

    @Test
    void indexNamesAShardThatDoesNotExist() throws Exception {
        new SafetensorsBytes().f32("a", shape(1), 1).write(dir.resolve("s1.safetensors"));
        Path idx = index("{\"weight_map\": {\"a\": \"s1.safetensors\", \"b\": \"s2.safetensors\"}}");
        CheckpointFormatException e = refused("s2.safetensors", "does not exist", "'b'");
        assertEquals(idx, e.file());
        assertTrue(e.getMessage().startsWith(idx.toString()), e.getMessage());
    }

    @Test
    void tensorInWeightMapAbsentFromItsShard() throws Exception {
        Path s1 = new SafetensorsBytes().f32("a", shape(1), 1).write(dir.resolve("s1.safetensors"));
        index("{\"weight_map\": {\"a\": \"s1.safetensors\", \"missing\": \"s1.safetensors\"}}");
        CheckpointFormatException e = refused("'missing'", "does not hold it");
        assertEquals(s1.toAbsolutePath().normalize(), e.file().toAbsolutePath().normalize());
        assertEquals("missing", e.tensor());
    }

    @Test
    void sameTensorInTwoShards() throws Exception {
        new SafetensorsBytes().f32("a", shape(1), 1).f32("w", shape(1), 2).write(dir.resolve("s1.safetensors"));
        new SafetensorsBytes().f32("w", shape(1), 3).write(dir.resolve("s2.safetensors"));
        index("{\"weight_map\": {\"a\": \"s1.safetensors\", \"w\": \"s2.safetensors\"}}");
        CheckpointFormatException e = refused("'w'", "s1.safetensors", "s2.safetensors", "one shard only");
        assertEquals("w", e.tensor());
    }

    @Test
    void shardHoldingATensorTheIndexDoesNotList() throws Exception {
        new SafetensorsBytes().f32("a", shape(1), 1).f32("extra", shape(1), 2).write(dir.resolve("s1.safetensors"));
        index("{\"weight_map\": {\"a\": \"s1.safetensors\"}}");
        refused("'extra'", "does not list it");
    }

    @Test
    void sameTensorListedTwiceInTheIndex() throws Exception {
        new SafetensorsBytes().f32("a", shape(1), 1).write(dir.resolve("s1.safetensors"));
        new SafetensorsBytes().f32("b", shape(1), 1).write(dir.resolve("s2.safetensors"));
        index("{\"weight_map\": {\"a\": \"s1.safetensors\", \"b\": \"s2.safetensors\", \"a\": \"s2.safetensors\"}}");
        refused(Checkpoint.INDEX_FILE, "Duplicate", "a");
    }

    @Test
    void malformedIndex() throws Exception {
        new SafetensorsBytes().f32("a", shape(1), 1).write(dir.resolve("s1.safetensors"));
        index("{\"weight_map\": {\"a\": \"s1.safetensors\"");
        refused(Checkpoint.INDEX_FILE, "not valid JSON");
        index("[\"s1.safetensors\"]");
        refused(Checkpoint.INDEX_FILE, "not a JSON object");
        index("{\"metadata\": {}}");
        refused(Checkpoint.INDEX_FILE, "weight_map");
        index("{\"weight_map\": [\"s1.safetensors\"]}");
        refused(Checkpoint.INDEX_FILE, "weight_map");
        index("{\"weight_map\": {}}");
        refused(Checkpoint.INDEX_FILE, "no tensors");
        index("{\"weight_map\": {\"a\": 1}}");
        refused(Checkpoint.INDEX_FILE, "'a'", "shard file name");
        index("{\"weight_map\": {\"a\": \"\"}}");
        refused(Checkpoint.INDEX_FILE, "'a'", "shard file name");
        index("{\"metadata\": 3, \"weight_map\": {\"a\": \"s1.safetensors\"}}");
        refused(Checkpoint.INDEX_FILE, "metadata");
        index("{\"metadata\": {\"total_size\": 4}, \"weight_map\": {\"a\": \"s1.safetensors\"}}");
        try (Checkpoint ck = Checkpoint.open(dir)) {
            assertEquals(1f, ck.readFloats("a", 1)[0], "the same shard with a valid index opens");
        }
    }

    @Test
    void shardNamesLeadingOutOfTheDirectoryAreRefused() throws Exception {
        Path inner = Files.createDirectory(dir.resolve("model"));
        new SafetensorsBytes().f32("a", shape(1), 1).write(dir.resolve("outside.safetensors"));
        Files.writeString(
                inner.resolve(Checkpoint.INDEX_FILE), "{\"weight_map\": {\"a\": \"../outside.safetensors\"}}");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(inner));
        assertTrue(e.getMessage().contains("outside") && e.getMessage().contains("'a'"), e.getMessage());
        Files.writeString(
                inner.resolve(Checkpoint.INDEX_FILE),
                "{\"weight_map\": {\"a\": "
                        + SafetensorsBytes.json(dir.resolve("outside.safetensors")
                                .toAbsolutePath()
                                .toString()) + "}}");
        e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(inner));
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
        Files.writeString(inner.resolve(Checkpoint.INDEX_FILE), "{\"weight_map\": {\"a\": \".\"}}");
        assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(inner));
    }

    @Test
    void brokenShardIsNamed() throws Exception {
        new SafetensorsBytes().f32("a", shape(1), 1).write(dir.resolve("s1.safetensors"));
        Files.write(dir.resolve("s2.safetensors"), new byte[] {1, 2, 3});
        index("{\"weight_map\": {\"a\": \"s1.safetensors\", \"b\": \"s2.safetensors\"}}");
        CheckpointFormatException e = refused("s2.safetensors", "fewer than the 8");
        assertEquals("s2.safetensors", e.file().getFileName().toString());
    }

    @Test
    void shardNamedDifferentlyButTheSameFileIsOpenedOnce() throws Exception {
        new SafetensorsBytes().f32("a", shape(1), 1).f32("b", shape(1), 2).write(dir.resolve("s1.safetensors"));
        index("{\"weight_map\": {\"a\": \"s1.safetensors\", \"b\": \"./s1.safetensors\"}}");
        try (Checkpoint ck = Checkpoint.open(dir)) {
            assertEquals(1, ck.files().size());
            assertEquals(2f, ck.readFloats("b")[0]);
        }
    }

    @Test
    void modelSafetensorsThatIsADirectory() throws Exception {
        Files.createDirectory(dir.resolve(Checkpoint.SINGLE_FILE));
        refused("not a regular file");
    }
}
