package dev.linnet.engine.io;

import static dev.linnet.engine.io.SafetensorsBytes.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.kernels.Bits16;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening directories, single files and shard sets; the typed reads' dtype and shape checks. */
class CheckpointTest {
    @TempDir
    Path tmp;

    static final String INDEX_TWO_SHARDS = """
            {"metadata": {"total_size": 20},
             "weight_map": {"a": "model-00001-of-00002.safetensors",
                            "b": "model-00001-of-00002.safetensors",
                            "c": "model-00002-of-00002.safetensors"}}""";

    void writeTwoShards(Path dir) throws Exception {
        new SafetensorsBytes()
                .f32("a", shape(2), 1, 2)
                .f32("b", shape(1), 3)
                .write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsBytes().f32("c", shape(2, 1), 4, 5).write(dir.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), INDEX_TWO_SHARDS);
    }

    @Test
    void directoryWithModelSafetensors() throws Exception {
        new SafetensorsBytes().f32("w", shape(2), 1, 2).write(tmp.resolve("model.safetensors"));
        try (Checkpoint ck = Checkpoint.open(tmp)) {
            assertEquals(tmp, ck.dir());
            assertEquals(Set.of("w"), ck.names());
            assertTrue(ck.has("w"));
            assertFalse(ck.has("v"));
            assertArrayEquals(new float[] {1, 2}, ck.readFloats("w", 2));
            assertEquals(List.of(tmp.resolve("model.safetensors")), ck.files());
        }
    }

    @Test
    void singleFileOpenedDirectly() throws Exception {
        Path f = new SafetensorsBytes().i64("input_ids", shape(3), 5, 6, 7).write(tmp.resolve("golden.safetensors"));
        try (Checkpoint ck = Checkpoint.open(f)) {
            assertEquals(tmp.toAbsolutePath(), ck.dir());
            assertArrayEquals(new long[] {5, 6, 7}, ck.readLongs("input_ids"));
        }
    }

    @Test
    void shardedDirectory() throws Exception {
        writeTwoShards(tmp);
        try (Checkpoint ck = Checkpoint.open(tmp)) {
            assertEquals(List.of("a", "b", "c"), List.copyOf(ck.names()));
            assertArrayEquals(new float[] {1, 2}, ck.readFloats("a", 2));
            assertArrayEquals(new float[] {3}, ck.readFloats("b"));
            assertArrayEquals(new float[] {4, 5}, ck.readFloats("c", 2, 1));
            assertEquals(
                    tmp.resolve("model-00002-of-00002.safetensors")
                            .toAbsolutePath()
                            .normalize(),
                    ck.info("c").file().toAbsolutePath().normalize());
            assertEquals(2, ck.files().size());
        }
        // the index file can be named directly too
        try (Checkpoint ck = Checkpoint.open(tmp.resolve(Checkpoint.INDEX_FILE))) {
            assertEquals(3, ck.names().size());
        }
    }

    @Test
    void singleFileIsPreferredOverIndex() throws Exception {
        writeTwoShards(tmp);
        new SafetensorsBytes().f32("only", shape(1), 1).write(tmp.resolve("model.safetensors"));
        try (Checkpoint ck = Checkpoint.open(tmp)) {
            assertEquals(Set.of("only"), ck.names());
        }
    }

    @Test
    void missingTensorNamesFileAndTensor() throws Exception {
        Path f = new SafetensorsBytes().f32("w", shape(1), 1).write(tmp.resolve("model.safetensors"));
        try (Checkpoint ck = Checkpoint.open(tmp)) {
            CheckpointFormatException e =
                    assertThrows(CheckpointFormatException.class, () -> ck.info("model.norm.weight"));
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("'model.norm.weight'"), e.getMessage());
            assertEquals("model.norm.weight", e.tensor());
            assertThrows(CheckpointFormatException.class, () -> ck.readFloats("nope"));
        }
    }

    @Test
    void wrongExpectedShapeSaysExpectedAndActual() throws Exception {
        Path f = new SafetensorsBytes().f32("w", shape(2, 3), new float[6]).write(tmp.resolve("model.safetensors"));
        try (Checkpoint ck = Checkpoint.open(tmp)) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> ck.readFloats("w", 3, 2));
            String m = e.getMessage();
            assertTrue(
                    m.contains(f.toString()) && m.contains("'w'") && m.contains("[2, 3]") && m.contains("[3, 2]"), m);
            assertThrows(CheckpointFormatException.class, () -> ck.readFloats("w", 6));
            assertThrows(CheckpointFormatException.class, () -> ck.readFloats("w", 2, 3, 1));
        }
    }

    @Test
    void readBits16OnF32IsRefusedNamingDtype() throws Exception {
        Path f = new SafetensorsBytes().f32("w", shape(2), 1, 2).write(tmp.resolve("model.safetensors"));
        try (Checkpoint ck = Checkpoint.open(tmp)) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> ck.readBits16("w", 2));
            assertTrue(
                    e.getMessage().contains(f.toString())
                            && e.getMessage().contains("'w'")
                            && e.getMessage().contains("F32"),
                    e.getMessage());
        }
    }

    @Test
    void dtypeMismatchesAreRefused() throws Exception {
        new SafetensorsBytes()
                .i64("ids", shape(2), 1, 2)
                .f32("w", shape(1), 1)
                .bits16("h", "BF16", shape(1), Bits16.floatToBf16(1f))
                .write(tmp.resolve("model.safetensors"));
        try (Checkpoint ck = Checkpoint.open(tmp)) {
            assertTrue(assertThrows(CheckpointFormatException.class, () -> ck.readFloats("ids"))
                    .getMessage()
                    .contains("I64"));
            assertTrue(assertThrows(CheckpointFormatException.class, () -> ck.readDoubles("ids"))
                    .getMessage()
                    .contains("I64"));
            assertTrue(assertThrows(CheckpointFormatException.class, () -> ck.readLongs("w"))
                    .getMessage()
                    .contains("F32"));
            assertTrue(assertThrows(CheckpointFormatException.class, () -> ck.readBits16("ids"))
                    .getMessage()
                    .contains("I64"));
            assertArrayEquals(new float[] {1f}, ck.readFloats("h", 1));
        }
    }

    @Test
    void pathWithoutCheckpoint() throws Exception {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(tmp));
        assertTrue(
                e.getMessage().contains(Checkpoint.SINGLE_FILE)
                        && e.getMessage().contains(tmp.toString()),
                e.getMessage());
        assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(tmp.resolve("absent")));
    }

    @Test
    void callerMessageConstructor() {
        CheckpointFormatException e = new CheckpointFormatException("/m: tensor x is missing");
        assertEquals("/m: tensor x is missing", e.getMessage());
        assertEquals(null, e.file());
    }
}
