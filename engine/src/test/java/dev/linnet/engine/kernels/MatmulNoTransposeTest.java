package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** x (n x k) times a row-major b (k x m): accuracy, the sequential order, batch independence, checks. */
class MatmulNoTransposeTest {
    private static final int[][] SHAPES = {{1, 1}, {3, 17}, {64, 64}, {33, 70}, {16, 200}, {129, 48}, {7, 15}};

    @Test
    void elementsAreSequentialSumsOverI() {
        Random rnd = new Random(31);
        for (int[] shape : SHAPES) {
            int k = shape[0], m = shape[1];
            float[] b = TestData.gaussian(rnd, 2 + k * m);
            for (int n : new int[] {1, 2, 5, 8, 64}) {
                float[] x = TestData.gaussian(rnd, 1 + n * k);
                for (Kernels kern : TestData.implementations()) {
                    float[] out = new float[3 + n * m];
                    kern.matmulNoTranspose(x, 1, n, b, 2, k, m, out, 3);
                    for (int t = 0; t < n; t++) {
                        for (int j = 0; j < m; j++) {
                            float s = 0f;
                            double ref = 0, magnitude = 0;
                            for (int i = 0; i < k; i++) {
                                float xi = x[1 + t * k + i];
                                float bij = b[2 + i * m + j];
                                s = Math.fma(xi, bij, s);
                                ref += (double) xi * bij;
                                magnitude += Math.abs((double) xi * bij);
                            }
                            float got = out[3 + t * m + j];
                            String what = TestData.label(kern) + " " + k + "x" + m + " n=" + n + " t=" + t + " j=" + j;
                            assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(got), what);
                            assertTrue(Math.abs(got - ref) <= 1e-5 * magnitude + 1e-30, what);
                        }
                    }
                    for (int i = 0; i < 3; i++) assertEquals(0f, out[i], "wrote before outOff");
                }
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        for (Kernels k : TestData.implementations()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> k.matmulNoTranspose(new float[4], 0, 2, new float[6], 0, 2, 3, new float[5], 0));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> k.matmulNoTranspose(new float[3], 0, 2, new float[6], 0, 2, 3, new float[6], 0));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> k.matmulNoTranspose(new float[4], 0, 2, new float[5], 0, 2, 3, new float[6], 0));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> k.matmulNoTranspose(new float[4], 0, 2, new float[6], 0, 0, 3, new float[6], 0));
        }
    }
}
