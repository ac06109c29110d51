package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The determinism contract: a token's output bits do not depend on how many tokens share the call,
 * on its position among them, on blocking or threads, or on the implementation.
 */
class MatmulDeterminismTest {
    // cols not a multiple of 16 (a tail), rows not a multiple of 4, 8 or 16 (edge rows); 64 tokens of
    // this shape are over the parallel threshold, a single token is under it
    private static final int ROWS = 70;
    private static final int COLS = 530;

    @Test
    void tokenBitsIndependentOfBatch() {
        for (Matrix.Storage storage : Matrix.Storage.values()) {
            Random rnd = new Random(storage.ordinal() + 1);
            Matrix w = TestData.matrix(rnd, storage, ROWS, COLS);
            float[] tokens = TestData.gaussian(rnd, 64 * COLS);
            for (Kernels k : TestData.implementations()) {
                String what = TestData.label(k) + " " + storage;
                float[] all = new float[64 * ROWS];
                k.matmul(tokens, 64, w, all);
                for (int t : new int[] {0, 5, 31, 63}) {
                    float[] one = new float[ROWS];
                    k.matmul(tokens, t * COLS, 1, w, one, 0);
                    assertSameRow(all, t, one, 0, what + " n=1 vs n=64, token " + t);
                    for (int position : new int[] {0, 3, 6}) {
                        // token t placed at `position` among 7 other tokens
                        float[] seven = TestData.gaussian(rnd, 7 * COLS);
                        System.arraycopy(tokens, t * COLS, seven, position * COLS, COLS);
                        float[] out = new float[7 * ROWS];
                        k.matmul(seven, 7, w, out);
                        assertSameRow(all, t, out, position, what + " n=7 position " + position + " vs n=64, token " + t);
                    }
                }
            }
        }
    }

    @Test
    void allImplementationsGiveTheSameBits() {
        Kernels[] impls = TestData.implementations();
        for (Matrix.Storage storage : Matrix.Storage.values()) {
            Random rnd = new Random(100 + storage.ordinal());
            for (int n : new int[] {1, 3, 64}) {
                Matrix w = TestData.matrix(rnd, storage, ROWS, COLS);
                float[] x = TestData.gaussian(rnd, n * COLS);
                float[] reference = new float[n * ROWS];
                impls[0].matmul(x, n, w, reference);
                for (int i = 1; i < impls.length; i++) {
                    float[] out = new float[n * ROWS];
                    impls[i].matmul(x, n, w, out);
                    for (int t = 0; t < n; t++) {
                        assertSameRow(reference, t, out, t, TestData.label(impls[i]) + " vs scalar " + storage + " n=" + n);
                    }
                }
            }
        }
    }

    @Test
    void dotEqualsTheMatmulElement() {
        Random rnd = new Random(5);
        Matrix w = TestData.matrix(rnd, Matrix.Storage.F32, 9, COLS);
        float[] x = TestData.gaussian(rnd, 12 * COLS);
        for (Kernels k : TestData.implementations()) {
            float[] out = new float[12 * 9];
            k.matmul(x, 12, w, out);
            for (int t = 0; t < 12; t++) {
                for (int r = 0; r < 9; r++) {
                    float d = k.dot(x, t * COLS, w.f32(), r * COLS, COLS);
                    assertEquals(Float.floatToRawIntBits(out[t * 9 + r]), Float.floatToRawIntBits(d),
                            TestData.label(k) + " dot vs matmul at token " + t + " row " + r);
                }
            }
        }
    }

    private static void assertSameRow(float[] a, int ta, float[] b, int tb, String what) {
        for (int r = 0; r < ROWS; r++) {
            assertEquals(Float.floatToRawIntBits(a[ta * ROWS + r]), Float.floatToRawIntBits(b[tb * ROWS + r]),
                    what + ", row " + r);
        }
    }
}
