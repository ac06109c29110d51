package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The in-register bfloat16 widening agrees with Bits16 on all 65536 bit patterns. */
class WideningTest {
    @Test
    void vectorWideningIsExactForEveryPattern() {
        assumeTrue(TestData.vectorsAvailable(), "needs the vector kernels");
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) all[i] = (short) i;
        float[] widened = new float[all.length];
        VectorMatmul.widen(all, 0, widened, all.length);
        for (int i = 0; i < all.length; i++) {
            assertEquals(
                    Float.floatToRawIntBits(Bits16.bf16ToFloat(all[i])),
                    Float.floatToRawIntBits(widened[i]),
                    "bf16 " + i);
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
