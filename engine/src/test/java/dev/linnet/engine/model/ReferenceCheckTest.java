package dev.linnet.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.cli.CheckReferenceCommand;
import dev.linnet.engine.testing.Golden;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine against transformers' MiniMax (float64 reference outputs), in one pass and in chunks of 1, 7 and 64
 * tokens: logits, every layer's hidden states and the final lightning states. Each test prints the errors it
 * measured; the tolerances sit just above the largest of them over every case, so that a change that makes the
 * engine less exact shows.
 */
class ReferenceCheckTest {
    /** Largest errors to allow, each against the reference's absolute (logits, hidden) or scaled (state) values. */
    record Tolerance(double logits, double hidden, double state) {}

    /**
     * Every case. Measured, the same to the last digit on JDK 17 (vector and scalar kernels) and
     * JDK 25 (vector): logits at most 2.1e-5 (default-model), hidden states 3.0e-5 (minimax-tiny-hybrid, chunks of
     * 1), lightning states 4.6e-6 (minimax-tiny-hybrid, chunks of 1).
     */
    static final Tolerance TOLERANCE = new Tolerance(3e-5, 4e-5, 1e-5);

    @Test
    void tinyHybrid() throws Exception {
        Path dir = Golden.tinyHybrid();
        assertWithin(
                "minimax-tiny-hybrid",
                CheckReferenceCommand.check(
                        dir, dir.resolve("golden.safetensors"), LoadOptions.WeightPrecision.AS_STORED),
                TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gqa-top1-tied", "nowindow-factors-mqa", "bf16-mha-top3", "softmax-first-6heads"})
    void casesNeverTunedOn(String name) throws Exception {
        Path dir = Golden.resourceCase(name);
        assertWithin(
                name,
                CheckReferenceCommand.check(
                        dir, dir.resolve("golden.safetensors"), LoadOptions.WeightPrecision.AS_STORED),
                TOLERANCE);
    }

    /** The shipped default model (BF16 shards on the classpath) against transformers' pass over its own weights. */
    @ParameterizedTest
    @ValueSource(strings = {"AS_STORED", "F32"})
    void defaultModel(String precision) throws Exception {
        Path dir = Path.of("src/main/resources", DefaultModel.RESOURCE);
        Path golden = Golden.resourceCase("default-model").resolve("golden.safetensors");
        assertWithin(
                "default-model " + precision,
                CheckReferenceCommand.check(dir, golden, LoadOptions.WeightPrecision.valueOf(precision)),
                TOLERANCE);
    }

    @Test
    void bf16CheckpointWidenedToF32AtLoadGivesTheSameAnswer() throws Exception {
        Path dir = Golden.resourceCase("bf16-mha-top3");
        List<CheckReferenceCommand.Errors> asStored = CheckReferenceCommand.check(
                dir, dir.resolve("golden.safetensors"), LoadOptions.WeightPrecision.AS_STORED);
        List<CheckReferenceCommand.Errors> widened =
                CheckReferenceCommand.check(dir, dir.resolve("golden.safetensors"), LoadOptions.WeightPrecision.F32);
        assertWithin("bf16-mha-top3 F32", widened, TOLERANCE);
        // widening bf16 is exact, so the two in-memory forms compute the same numbers
        assertEquals(asStored, widened);
    }

    static void assertWithin(String name, List<CheckReferenceCommand.Errors> errors, Tolerance t) {
        assertEquals(4, errors.size());
        for (CheckReferenceCommand.Errors e : errors) {
            System.out.printf(
                    Locale.ROOT,
                    "reference %s chunks=%d logits %.2e hidden %.2e state %.2e%n",
                    name,
                    e.chunk(),
                    e.logits(),
                    e.hidden(),
                    e.state());
        }
        for (CheckReferenceCommand.Errors e : errors) {
            assertTrue(e.logits() <= t.logits() && e.hidden() <= t.hidden() && e.state() <= t.state(), name + " " + e);
            assertTrue(
                    e.logits() > 0 || e.hidden() > 0,
                    "suspiciously exact: were the reference tensors compared at all? " + e);
        }
    }
}
