package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The polynomial exp is accurate, and the vector kernels reproduce the scalar one bit for bit at any offset. */
class FastExpTest {
    @Test
    void closeToMathExpOverTheWholeRange() {
        double worst = 0;
        for (float x = -86f; x <= 88f; x += 0.001f) {
            double want = Math.exp(x);
            double rel = Math.abs(FastExp.exp(x) - want) / want;
            worst = Math.max(worst, rel);
        }
        assertTrue(worst < 3e-7, "worst relative error " + worst);
        assertEquals(1f, FastExp.exp(0f));
        assertEquals(FastExp.exp(-86f), FastExp.exp(-1000f), "clamped below");
        assertEquals(FastExp.exp(88f), FastExp.exp(1000f), "clamped above");
        assertTrue(Float.isNaN(FastExp.exp(Float.NaN)));
        assertEquals(0.5f, FastExp.sigmoid(0f));
        assertEquals(0f, FastExp.silu(0f));
    }

    @Test
    void vectorAndScalarKernelsAgreeBitForBitWhateverTheOffset() {
        Kernels v = Kernels.get();
        Kernels s = new ScalarKernels();
        SplittableRandom r = new SplittableRandom(3);
        float[] base = new float[203];
        for (int i = 0; i < base.length; i++) base[i] = (float) (r.nextGaussian() * 20);
        for (int off : new int[] {0, 1, 5, 16, 37}) {
            int len = base.length - off;
            for (String op : new String[] {"exp", "sigmoid", "silu", "softmax"}) {
                float[] a = base.clone();
                float[] b = base.clone();
                apply(v, op, a, off, len);
                apply(s, op, b, off, len);
                assertArrayEquals(b, a, op + " at offset " + off + " with " + v.name());
            }
            assertEquals(s.logSumExp(base, off, len, new float[len]), v.logSumExp(base, off, len, new float[len]));
        }
        // an element's value does not depend on where it sits: same input, same bits, in the tail or not
        float[] one = {base[7]};
        v.silu(one, 0, 1);
        float[] many = base.clone();
        v.silu(many, 0, many.length);
        assertEquals(Float.floatToRawIntBits(many[7]), Float.floatToRawIntBits(one[0]));
    }

    @Test
    void logSumExpIsTheLogOfTheSum() {
        float[] x = {1f, 2f, 3f, -4f, 0.5f};
        double want = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(-4) + Math.exp(0.5));
        assertEquals(want, Kernels.get().logSumExp(x, 0, x.length, new float[5]), 1e-6);
    }

    private static void apply(Kernels k, String op, float[] x, int off, int len) {
        switch (op) {
            case "exp" -> k.expInPlace(x, off, len);
            case "sigmoid" -> k.sigmoid(x, off, len);
            case "silu" -> k.silu(x, off, len);
            default -> k.softmax(x, off, len);
        }
    }
}
