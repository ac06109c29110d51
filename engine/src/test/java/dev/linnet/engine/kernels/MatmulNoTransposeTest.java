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

    /** A causal attention block's scores: every entry on or below the diagonal equals the full product's. */
    @Test
    void lowerResultGivesTheFullProductsLowerTriangle() {
        Random rnd = new Random(37);
        int[][] shapes = {{64, 256, 256}, {64, 64, 64}, {3, 17, 17}, {5, 70, 70}, {8, 100, 37}, {64, 7, 7}, {2, 1, 1}};
        for (int[] shape : shapes) {
            int k = shape[0], m = shape[1], n = shape[2];
            float[] x = TestData.gaussian(rnd, 1 + n * k);
            float[] b = TestData.gaussian(rnd, 2 + k * m);
            for (Kernels kern : TestData.implementations()) {
                float[] full = new float[3 + n * m];
                kern.matmulNoTranspose(x, 1, n, b, 2, k, m, full, 3);
                float[] lower = new float[3 + n * m];
                java.util.Arrays.fill(lower, Float.NaN);
                kern.matmulNoTransposeLowerResult(x, 1, n, b, 2, k, m, lower, 3);
                for (int t = 0; t < n; t++) {
                    for (int j = 0; j <= Math.min(t, m - 1); j++) {
                        String what = TestData.label(kern) + " " + k + "x" + m + " n=" + n + " t=" + t + " j=" + j;
                        int at = 3 + t * m + j;
                        assertEquals(Float.floatToRawIntBits(full[at]), Float.floatToRawIntBits(lower[at]), what);
                    }
                }
                for (int i = 0; i < 3; i++) assertTrue(Float.isNaN(lower[i]), "wrote before outOff");
            }
        }
    }

    /**
     * Masked scores times values: with x zero above the diagonal, skipping those terms gives the full product's bits,
     * and the vector kernels equal the scalar ones.
     */
    @Test
    void lowerLeftEqualsTheFullProductOfALowerTriangularX() {
        Random rnd = new Random(41);
        int[][] shapes = {{256, 64}, {64, 64}, {17, 3}, {70, 70}, {37, 100}, {7, 64}, {1, 1}, {11, 16}};
        for (int[] shape : shapes) {
            int n = shape[0], m = shape[1], k = n;
            float[] x = TestData.gaussian(rnd, 1 + n * k);
            for (int t = 0; t < n; t++) {
                for (int i = t + 1; i < k; i++) x[1 + t * k + i] = rnd.nextBoolean() ? 0f : -0f;
            }
            float[] b = TestData.gaussian(rnd, 2 + k * m);
            float[] scalar = null;
            for (Kernels kern : TestData.implementations()) {
                float[] full = new float[3 + n * m];
                kern.matmulNoTranspose(x, 1, n, b, 2, k, m, full, 3);
                float[] lower = new float[3 + n * m];
                kern.matmulNoTransposeLowerLeft(x, 1, n, b, 2, k, m, lower, 3);
                for (int at = 0; at < full.length; at++) {
                    String what = TestData.label(kern) + " n=" + n + " m=" + m + " at " + at;
                    assertEquals(Float.floatToRawIntBits(full[at]), Float.floatToRawIntBits(lower[at]), what);
                }
                if (scalar == null) {
                    scalar = lower;
                } else {
                    for (int at = 0; at < full.length; at++) {
                        assertEquals(
                                Float.floatToRawIntBits(scalar[at]),
                                Float.floatToRawIntBits(lower[at]),
                                TestData.label(kern) + " against the first implementation at " + at);
                    }
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
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> k.matmulNoTransposeLowerResult(new float[4], 0, 2, new float[6], 0, 2, 3, new float[5], 0));
            assertTrue(e.getMessage().startsWith("matmulNoTransposeLowerResult: output"), e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> k.matmulNoTransposeLowerLeft(new float[3], 0, 2, new float[6], 0, 2, 3, new float[6], 0));
            assertTrue(e.getMessage().startsWith("matmulNoTransposeLowerLeft: input x"), e.getMessage());
        }
    }
}
