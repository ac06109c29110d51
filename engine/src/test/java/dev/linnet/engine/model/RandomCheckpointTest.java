package dev.linnet.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.linnet.engine.config.ConfigParser;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.io.Checkpoint;
import dev.linnet.engine.io.DType;
import dev.linnet.engine.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A random checkpoint written to disk loads as the very model {@link Model#random} builds. */
class RandomCheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void writtenRandomWeightsAreThoseOfModelRandom() throws Exception {
        String configJson = Files.readString(Golden.tinyHybrid().resolve("config.json"));
        ModelConfig cfg = ConfigParser.read(Golden.tinyHybrid().resolve("config.json"));
        Path f32 = RandomCheckpoint.write(tmp.resolve("f32"), configJson, 42, DType.F32);
        Path bf16 = RandomCheckpoint.write(tmp.resolve("bf16"), configJson, 42, DType.BF16);

        Model fromF32 = Model.load(f32);
        Model random = Model.random(cfg, 42, LoadOptions.DEFAULT);
        assertEquals(random.fingerprint(), fromF32.fingerprint());
        assertEquals(
                Model.random(cfg, 42, LoadOptions.DEFAULT.withWeights(LoadOptions.WeightPrecision.BF16))
                        .fingerprint(),
                Model.load(bf16).fingerprint());
        assertEquals(configJson, Files.readString(f32.resolve("config.json")));
        try (Checkpoint ck = Checkpoint.open(bf16)) {
            assertEquals(DType.BF16, ck.info("model.embed_tokens.weight").dtype());
            assertEquals(DType.F32, ck.info("model.norm.weight").dtype(), "norms stay float32");
        }

        int[] ids = {1, 5, 9, 2, 7};
        assertArrayEquals(
                random.forward(random.newState(), ids, ForwardOptions.DEFAULT).surprisal(),
                fromF32.forward(fromF32.newState(), ids, ForwardOptions.DEFAULT).surprisal());
        assertNotEquals(
                random.fingerprint(),
                Model.random(cfg, 43, LoadOptions.DEFAULT).fingerprint(),
                "another seed, other weights");
    }
}
