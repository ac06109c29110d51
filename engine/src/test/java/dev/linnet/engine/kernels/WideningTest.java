package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The in-register bfloat16 widening (panels of column pairs packed in ints) agrees with Bits16 on all 65536 bit
 * patterns, in both halves of a pair and in the unpaired last column of an odd width.
 */
class WideningTest {
    @Test
    void vectorWideningIsExactForEveryPattern() {
        assumeTrue(TestData.vectorsAvailable(), "needs the vector kernels");
        for (int cols : new int[] {4096, 4097}) {
            short[] bits = new short[16 * cols];
            for (int i = 0; i < bits.length; i++) bits[i] = (short) i;
            Panels p = Panels.of(Matrix.ofBf16(16, cols, bits));
            float[] widened = new float[16 * cols];
            VectorMatmul.widen(p.bf16, p.pairStart(0), p.pairs * 16, cols, 1, widened);
            for (int r = 0; r < 16; r++) {
                for (int c = 0; c < cols; c++) {
                    assertEquals(
                            Float.floatToRawIntBits(Bits16.bf16ToFloat(bits[r * cols + c])),
                            Float.floatToRawIntBits(widened[c * 16 + r]),
                            "bf16 row " + r + " column " + c + " of " + cols);
                }
            }
        }
    }

    @Test
    void bits16KnownValues() {
        assertEquals(1.0f, Bits16.f16ToFloat((short) 0x3c00));
        assertEquals(-2.0f, Bits16.f16ToFloat((short) 0xc000));
        assertEquals(0x1p-24f, Bits16.f16ToFloat((short) 0x0001));
        assertEquals(65504f, Bits16.f16ToFloat((short) 0x7bff));
        assertEquals(Float.NEGATIVE_INFINITY, Bits16.f16ToFloat((short) 0xfc00));
        assertEquals(1.0f, Bits16.bf16ToFloat((short) 0x3f80));
        assertEquals((short) 0x3f80, Bits16.floatToBf16(1.0f));
    }
}
