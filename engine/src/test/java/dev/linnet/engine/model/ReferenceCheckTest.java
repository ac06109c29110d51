package dev.linnet.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.cli.CheckReferenceCommand;
import dev.linnet.engine.testing.Golden;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine against transformers' MiniMax (float64 reference outputs), in one pass and in chunks of 1, 7
 * and 64 tokens: logits, every layer's hidden states and the final lightning states within 1e-3.
 */
class ReferenceCheckTest {
    static final double TOLERANCE = 1e-3;

    @Test
    void tinyHybrid() throws Exception {
        Path dir = Golden.tinyHybrid();
        assertWithin(CheckReferenceCommand.check(
                dir, dir.resolve("golden.safetensors"), LoadOptions.WeightPrecision.AS_STORED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gqa-top1-tied", "nowindow-factors-mqa", "bf16-mha-top3", "softmax-first-6heads"})
    void casesNeverTunedOn(String name) throws Exception {
        Path dir = Golden.resourceCase(name);
        assertWithin(CheckReferenceCommand.check(
                dir, dir.resolve("golden.safetensors"), LoadOptions.WeightPrecision.AS_STORED));
    }

    /** The shipped default model (BF16 shards on the classpath) against transformers' pass over its own weights. */
    @ParameterizedTest
    @ValueSource(strings = {"AS_STORED", "F32"})
    void defaultModel(String precision) throws Exception {
        Path dir = Path.of("src/main/resources", DefaultModel.RESOURCE);
        Path golden = Golden.resourceCase("default-model").resolve("golden.safetensors");
        assertWithin(CheckReferenceCommand.check(dir, golden, LoadOptions.WeightPrecision.valueOf(precision)));
    }

    @Test
    void bf16CheckpointWidenedToF32AtLoadGivesTheSameAnswer() throws Exception {
        Path dir = Golden.resourceCase("bf16-mha-top3");
        List<CheckReferenceCommand.Errors> asStored = CheckReferenceCommand.check(
                dir, dir.resolve("golden.safetensors"), LoadOptions.WeightPrecision.AS_STORED);
        List<CheckReferenceCommand.Errors> widened =
                CheckReferenceCommand.check(dir, dir.resolve("golden.safetensors"), LoadOptions.WeightPrecision.F32);
        assertWithin(widened);
        // widening bf16 is exact, so the two in-memory forms compute the same numbers
        assertEquals(asStored, widened);
    }

    static void assertWithin(List<CheckReferenceCommand.Errors> errors) {
        assertEquals(4, errors.size());
        for (CheckReferenceCommand.Errors e : errors) {
            assertTrue(e.logits() <= TOLERANCE && e.hidden() <= TOLERANCE && e.state() <= TOLERANCE, e.toString());
            assertTrue(
                    e.logits() > 0 || e.hidden() > 0,
                    "suspiciously exact: were the reference tensors compared at all? " + e);
        }
    }
}
