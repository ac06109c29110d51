package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** A matrix over changing data is re-read on every call; prepare() changes nothing but timing. */
class ChangingMatrixTest {
    @Test
    void changesBetweenCallsAreSeen() {
        Random rnd = new Random(21);
        int rows = 37, cols = 20, n = 9;
        float[] data = TestData.gaussian(rnd, rows * cols);
        Matrix state = Matrix.ofChangingFloats(rows, cols, data);
        float[] x = TestData.gaussian(rnd, n * cols);
        for (Kernels k : TestData.implementations()) {
            float[] before = new float[n * rows];
            k.matmul(x, n, state, before);
            for (int i = 0; i < data.length; i++) data[i] *= 2f;
            float[] after = new float[n * rows];
            k.matmul(x, n, state, after);
            for (int i = 0; i < after.length; i++) {
                // doubling every weight doubles every product and partial sum exactly
                assertEquals(2f * before[i], after[i], TestData.label(k) + " at " + i);
            }
            for (int i = 0; i < data.length; i++) data[i] *= 0.5f;
        }
    }

    @Test
    void prepareGivesTheSameResults() {
        Random rnd = new Random(22);
        float[] x = TestData.gaussian(rnd, 5 * 40);
        for (Kernels k : TestData.implementations()) {
            Matrix prepared = TestData.matrix(new Random(3), Matrix.Storage.BF16, 33, 40);
            Matrix lazy = TestData.matrix(new Random(3), Matrix.Storage.BF16, 33, 40);
            k.prepare(prepared);
            float[] a = new float[5 * 33];
            float[] b = new float[5 * 33];
            k.matmul(x, 5, prepared, a);
            k.matmul(x, 5, lazy, b);
            for (int i = 0; i < a.length; i++) {
                assertEquals(
                        Float.floatToRawIntBits(b[i]), Float.floatToRawIntBits(a[i]), TestData.label(k) + " at " + i);
            }
        }
    }
}
