package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The canonical order is the documented one, written out by hand here. */
class CanonicalSumTest {
    @Test
    void treeFoldsLanesInTheDocumentedOrder() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 1000; trial++) {
            float[] l = new float[16];
            for (int i = 0; i < 16; i++) l[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 6));
            float want = (((l[0] + l[8]) + (l[4] + l[12])) + ((l[2] + l[10]) + (l[6] + l[14])))
                    + (((l[1] + l[9]) + (l[5] + l[13])) + ((l[3] + l[11]) + (l[7] + l[15])));
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(CanonicalSum.tree(l)));
        }
    }

    @Test
    void dotUsesSixteenLanesThenTheTail() {
        Random rnd = new Random(4);
        int len = 16 * 3 + 5;
        float[] a = TestData.gaussian(rnd, len);
        float[] b = TestData.gaussian(rnd, len);
        float[] lanes = new float[16];
        for (int c = 0; c < 48; c++) lanes[c % 16] = Math.fma(a[c], b[c], lanes[c % 16]);
        float want = CanonicalSum.tree(lanes);
        for (int c = 48; c < len; c++) want = Math.fma(a[c], b[c], want);
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(CanonicalSum.dot(a, 0, b, 0, len)));
    }
}
