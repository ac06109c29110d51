package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** matmul against a float64 reference, for odd shapes, every storage and every implementation. */
class MatmulAccuracyTest {
    private static final int[][] SHAPES = {
        {1, 1}, {3, 17}, {65, 129}, {130, 33}, {16, 16}, {17, 33}, {8, 15}, {40, 512}, {33, 1000}, {5, 4}
    };
    private static final int[] TOKENS = {1, 2, 3, 4, 5, 9, 13};

    @Test
    void matchesDoublePrecisionReference() {
        Random rnd = new Random(42);
        for (Matrix.Storage storage : Matrix.Storage.values()) {
            for (int[] shape : SHAPES) {
                Matrix w = TestData.matrix(rnd, storage, shape[0], shape[1]);
                for (int n : TOKENS) {
                    float[] x = TestData.gaussian(rnd, n * w.cols());
                    for (Kernels k : TestData.implementations()) {
                        float[] out = new float[n * w.rows()];
                        k.matmul(x, n, w, out);
                        check(
                                x,
                                n,
                                w,
                                out,
                                TestData.label(k) + " " + storage + " " + shape[0] + "x" + shape[1] + " n=" + n);
                    }
                }
            }
        }
    }

    @Test
    void offsetsReadAndWriteOnlyTheirRange() {
        Random rnd = new Random(7);
        Matrix w = TestData.matrix(rnd, Matrix.Storage.BF16, 21, 37);
        int n = 6;
        float[] x = TestData.gaussian(rnd, 5 + n * w.cols());
        for (Kernels k : TestData.implementations()) {
            float[] out = new float[3 + n * w.rows() + 4];
            java.util.Arrays.fill(out, 99f);
            k.matmul(x, 5, n, w, out, 3);
            float[] plain = new float[n * w.rows()];
            k.matmul(java.util.Arrays.copyOfRange(x, 5, x.length), n, w, plain);
            for (int i = 0; i < plain.length; i++) {
                assertTrue(
                        Float.floatToRawIntBits(plain[i]) == Float.floatToRawIntBits(out[3 + i]),
                        TestData.label(k) + ": offset result differs at " + i);
            }
            for (int i : new int[] {0, 1, 2, out.length - 4, out.length - 1}) {
                assertTrue(out[i] == 99f, TestData.label(k) + ": wrote outside its range at " + i);
            }
        }
    }

    private static void check(float[] x, int n, Matrix w, float[] out, String what) {
        int rows = w.rows();
        int cols = w.cols();
        for (int t = 0; t < n; t++) {
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                double magnitude = 0;
                for (int c = 0; c < cols; c++) {
                    double p = (double) x[t * cols + c] * w.get(r, c);
                    sum += p;
                    magnitude += Math.abs(p);
                }
                double err = Math.abs(out[t * rows + r] - sum);
                assertTrue(
                        err <= 1e-5 * magnitude + 1e-30,
                        what + ": token " + t + " row " + r + " got " + out[t * rows + r] + " want " + sum);
            }
        }
    }
}
