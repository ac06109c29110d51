package dev.linnet.engine.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.io.CheckpointFormatException;
import dev.linnet.engine.io.SafetensorsWriter;
import dev.linnet.engine.io.SafetensorsWriter.Tensor;
import dev.linnet.engine.testing.Golden;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A weight that is NaN or infinite makes every score NaN from the first token on, and nothing else notices: such
 * a checkpoint is refused at load, naming the file, the tensor and the first bad element.
 */
class NonFiniteWeightsTest {
    @TempDir
    Path tmp;

    /** A copy of a test case with element {@code index} of {@code tensor} overwritten by {@code bits}. */
    private Path poisoned(String testCase, String tensor, int index, long bits) throws Exception {
        Path src = Golden.resourceCase(testCase);
        SafetensorsWriter w = SafetensorsWriter.copyOf(src.resolve("model.safetensors"));
        Tensor r = w.tensors().get(tensor);
        byte[] data = r.data().clone();
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        switch (r.dtype()) {
            case F32 -> b.putInt(index * 4, (int) bits);
            case BF16, F16 -> b.putShort(index * 2, (short) bits);
            default -> throw new IllegalArgumentException(r.dtype().name());
        }
        w.put(tensor, new Tensor(r.dtype(), r.shape(), data));
        return w.writeCheckpoint(
                tmp.resolve(testCase + "-" + System.nanoTime()), Files.readString(src.resolve("config.json")));
    }

    private static void refused(Path dir, LoadOptions options, String... words) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Model.load(dir, options));
        assertTrue(e.getMessage().startsWith(dir.resolve("model.safetensors").toString()), e.getMessage());
        for (String w : words) assertTrue(e.getMessage().contains(w), "expected '" + w + "' in: " + e.getMessage());
    }

    @Test
    void float32NaNAndInfinitiesAreRefusedByName() throws Exception {
        String k = "model.layers.1.self_attn.k_proj.weight"; // [16, 48]
        Path nan = poisoned("gqa-top1-tied", k, 50, Float.floatToRawIntBits(Float.NaN));
        for (LoadOptions.WeightPrecision p : LoadOptions.WeightPrecision.values()) {
            refused(nan, LoadOptions.DEFAULT.withWeights(p), k, "1 non-finite value", "the first NaN at [1, 2]");
        }
        String norm = "model.layers.0.input_layernorm.weight";
        refused(
                poisoned("gqa-top1-tied", norm, 7, Float.floatToRawIntBits(Float.NEGATIVE_INFINITY)),
                LoadOptions.DEFAULT,
                norm,
                "the first -Infinity at [0, 7]");
        refused(
                poisoned(
                        "gqa-top1-tied",
                        "model.embed_tokens.weight",
                        48 * 255 + 47,
                        Float.floatToRawIntBits(Float.POSITIVE_INFINITY)),
                LoadOptions.DEFAULT,
                "model.embed_tokens.weight",
                "Infinity at [255, 47]");
    }

    @Test
    void bfloat16NaNAndInfinitiesAreRefusedByName() throws Exception {
        String w2 = "model.layers.0.block_sparse_moe.experts.1.w2.weight"; // [64, 32]
        refused(poisoned("bf16-mha-top3", w2, 33, 0x7fc1), LoadOptions.DEFAULT, w2, "NaN at [1, 1]");
        refused(
                poisoned("bf16-mha-top3", w2, 0, 0xff80),
                LoadOptions.DEFAULT.withWeights(LoadOptions.WeightPrecision.F32),
                w2,
                "-Infinity at [0, 0]");
        refused(
                poisoned("bf16-mha-top3", "lm_head.weight", 64, 0x7f80),
                LoadOptions.DEFAULT,
                "lm_head.weight",
                "Infinity at [1, 0]");
    }

    @Test
    void aFiniteFloatThatRoundsToInfinityInBfloat16IsRefused() throws Exception {
        String q = "model.layers.1.self_attn.q_proj.weight";
        Path big = poisoned("gqa-top1-tied", q, 0, Float.floatToRawIntBits(Float.MAX_VALUE));
        Model.load(big); // finite as stored: loads
        refused(
                big,
                LoadOptions.DEFAULT.withWeights(LoadOptions.WeightPrecision.BF16),
                q,
                "non-finite value once rounded to bfloat16",
                "Infinity at [0, 0]");
    }
}
