package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The determinism contract: a token's output bits do not depend on how many tokens share the call,
 * on its position among them, on blocking or threads, or on the implementation.
 */
class MatmulDeterminismTest {
    // cols not a multiple of 16; rows not a multiple of 16 (a partial panel) nor of 64 (leftover
    // panels), over 128 (the 8-panel single-token path); 64 tokens of this shape are over the parallel
    // threshold, a single token is under it
    private static final int ROWS = 150;
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
                        assertSameRow(
                                all, t, out, position, what + " n=7 position " + position + " vs n=64, token " + t);
                    }
                }
            }
        }
    }

    /**
     * Row blocks against their own matrices in one call (a mixture's experts) give each block's rows the bits of a
     * call of their own: blocks empty, of one row, of a few and of many; every storage; both implementations.
     */
    @Test
    void blocksGiveTheBitsOfOneCallEach() {
        int[][] sizes = {{0, 1, 5, 250}, {64, 0, 0, 3}, {7, 7, 7, 7}, {300, 2, 0, 40}, {0, 0, 1, 0}};
        for (Matrix.Storage storage : Matrix.Storage.values()) {
            Random rnd = new Random(300 + storage.ordinal());
            Matrix[] w = new Matrix[4];
            for (int e = 0; e < w.length; e++) w[e] = TestData.matrix(rnd, storage, ROWS, COLS);
            for (int[] size : sizes) {
                int[] start = new int[w.length + 1];
                for (int e = 0; e < w.length; e++) start[e + 1] = start[e] + size[e];
                int rows = start[w.length];
                float[] x = TestData.gaussian(rnd, rows * COLS);
                for (Kernels k : TestData.implementations()) {
                    String what = TestData.label(k) + " " + storage + " blocks " + java.util.Arrays.toString(size);
                    float[] together = new float[rows * ROWS];
                    k.matmulBlocks(x, start, w, together);
                    for (int e = 0; e < w.length; e++) {
                        if (size[e] == 0) continue;
                        float[] alone = new float[size[e] * ROWS];
                        k.matmul(x, start[e] * COLS, size[e], w[e], alone, 0);
                        for (int t = 0; t < size[e]; t++) {
                            assertSameRow(together, start[e] + t, alone, t, what + " block " + e + " row " + t);
                        }
                    }
                }
            }
        }
    }

    /**
     * The experts' first step: gate and up products with SwiGLU applied as they are computed give the bits of the
     * products written out and SwiGLU after them; blocks of every size (the fused path takes blocks of 8 rows and
     * more), inter a multiple of 64 and not, every storage, both implementations.
     */
    @Test
    void swigluOfBlocksGivesTheBitsOfProductsThenSwiglu() {
        int[][] sizes = {{0, 9, 250, 40}, {64, 0, 0, 8}, {7, 7, 7, 7}, {300, 2, 0, 40}};
        for (Matrix.Storage storage : Matrix.Storage.values()) {
            Random rnd = new Random(400 + storage.ordinal());
            for (int inter : new int[] {128, 96}) {
                Matrix[] w = new Matrix[4];
                for (int e = 0; e < w.length; e++) w[e] = TestData.matrix(rnd, storage, 2 * inter, COLS);
                for (int[] size : sizes) {
                    int[] start = new int[w.length + 1];
                    for (int e = 0; e < w.length; e++) start[e + 1] = start[e] + size[e];
                    int rows = start[w.length];
                    float[] x = TestData.gaussian(rnd, rows * COLS);
                    Kernels scalar = new ScalarKernels();
                    float[] gu = new float[rows * 2 * inter];
                    scalar.matmulBlocks(x, start, w, gu);
                    float[] expected = new float[rows * inter];
                    scalar.swiglu(gu, rows, inter, expected);
                    for (Kernels k : TestData.implementations()) {
                        String what = TestData.label(k) + " " + storage + " inter " + inter + " blocks "
                                + java.util.Arrays.toString(size);
                        float[] act = new float[rows * inter];
                        java.util.Arrays.fill(act, Float.NaN);
                        k.matmulBlocksSwiglu(x, start, w, act);
                        for (int t = 0; t < rows; t++) assertSameRow(expected, t, act, t, what + " row " + t, inter);
                    }
                }
            }
        }
    }

    @Test
    void blocksRejectMismatchedShapesAndStarts() {
        Random rnd = new Random(5);
        Matrix a = TestData.matrix(rnd, Matrix.Storage.F32, 16, 8);
        Matrix b = TestData.matrix(rnd, Matrix.Storage.F32, 16, 9);
        for (Kernels k : TestData.implementations()) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> k.matmulBlocks(new float[72], new int[] {0, 4, 8}, new Matrix[] {a, b}, new float[128]));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("matrix 1 is 16 x 9"), e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> k.matmulBlocks(new float[64], new int[] {0, 5, 4}, new Matrix[] {a, a}, new float[128]));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("must ascend"), e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> k.matmulBlocks(new float[64], new int[] {0, 4, 8}, new Matrix[] {a, a}, new float[127]));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("matmul: output"), e.getMessage());
            Matrix odd = TestData.matrix(rnd, Matrix.Storage.F32, 15, 8);
            e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> k.matmulBlocksSwiglu(new float[64], new int[] {0, 8}, new Matrix[] {odd}, new float[64]));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("even row count"), e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> k.matmulBlocksSwiglu(new float[64], new int[] {0, 8}, new Matrix[] {a}, new float[63]));
            org.junit.jupiter.api.Assertions.assertTrue(
                    e.getMessage().startsWith("matmulBlocksSwiglu: act"), e.getMessage());
        }
    }

    @Test
    void allImplementationsGiveTheSameBits() {
        Kernels[] impls = TestData.implementations();
        for (Matrix.Storage storage : Matrix.Storage.values()) {
            Random rnd = new Random(100 + storage.ordinal());
            // an odd width too: bfloat16 panels pack column pairs, the last column of an odd width stands alone
            for (int cols : new int[] {COLS, COLS + 1}) {
                // 1 and 3: the 8-panel single-token path; 5: 16-bit weights widened in registers; 64: tiles
                for (int n : new int[] {1, 3, 5, 64}) {
                    Matrix w = TestData.matrix(rnd, storage, ROWS, cols);
                    float[] x = TestData.gaussian(rnd, n * cols);
                    float[] reference = new float[n * ROWS];
                    impls[0].matmul(x, n, w, reference);
                    for (int i = 1; i < impls.length; i++) {
                        float[] out = new float[n * ROWS];
                        impls[i].matmul(x, n, w, out);
                        for (int t = 0; t < n; t++) {
                            assertSameRow(
                                    reference,
                                    t,
                                    out,
                                    t,
                                    TestData.label(impls[i]) + " vs scalar " + storage + " cols=" + cols + " n=" + n);
                        }
                    }
                }
            }
        }
    }

    @Test
    void repeatedCallsAndFreshMatricesGiveTheSameBits() {
        // the first call on a matrix builds its panel layout; later calls and other copies must agree
        Random rnd = new Random(9);
        float[] x = TestData.gaussian(rnd, 5 * COLS);
        for (Matrix.Storage storage : Matrix.Storage.values()) {
            Matrix w = TestData.matrix(new Random(77), storage, ROWS, COLS);
            Matrix again = TestData.matrix(new Random(77), storage, ROWS, COLS);
            for (Kernels k : TestData.implementations()) {
                float[] first = new float[5 * ROWS];
                float[] second = new float[5 * ROWS];
                float[] other = new float[5 * ROWS];
                k.matmul(x, 5, w, first);
                k.matmul(x, 5, w, second);
                k.matmul(x, 5, again, other);
                for (int t = 0; t < 5; t++) {
                    assertSameRow(first, t, second, t, TestData.label(k) + " " + storage + " second call");
                    assertSameRow(first, t, other, t, TestData.label(k) + " " + storage + " equal matrix");
                }
            }
        }
    }

    @Test
    void elementsAreSequentialSumsOverTheColumns() {
        Random rnd = new Random(10);
        // 19 rows: single panels; 70 rows: groups of 4 panels too, widened in registers (3 tokens) or into
        // scratch (8 to 17 tokens: 6-, 4- and 1-token tiles read it); an odd width leaves an unpaired last column;
        // 520 x 257 (261 KiB) is split between the kernel threads even at one token; 4 x 512 (a router's one
        // panel, 6 x 1 tiles) and 20 x 300 (one group and a last panel) over hundreds of tokens are split by tokens
        int[][] shapes = {
            {19, 37, 3},
            {70, 37, 3},
            {70, 36, 3},
            {70, 37, 9},
            {70, 36, 8},
            {70, 37, 16},
            {133, 36, 17},
            {520, 257, 1},
            {520, 257, 9},
            {4, 512, 515},
            {20, 300, 100}
        };
        for (int[] shape : shapes)
            for (Matrix.Storage storage : Matrix.Storage.values()) {
                int rows = shape[0], cols = shape[1], n = shape[2];
                Matrix w = TestData.matrix(rnd, storage, rows, cols);
                float[] x = TestData.gaussian(rnd, n * cols);
                for (Kernels k : TestData.implementations()) {
                    float[] out = new float[n * rows];
                    k.matmul(x, n, w, out);
                    for (int t = 0; t < n; t++) {
                        for (int r = 0; r < rows; r++) {
                            float s = 0f;
                            for (int c = 0; c < cols; c++) s = Math.fma(x[t * cols + c], w.get(r, c), s);
                            assertEquals(
                                    Float.floatToRawIntBits(s),
                                    Float.floatToRawIntBits(out[t * rows + r]),
                                    TestData.label(k) + " " + storage + " " + rows + " x " + cols + ", token " + t
                                            + " row " + r);
                        }
                    }
                }
            }
    }

    private static void assertSameRow(float[] a, int ta, float[] b, int tb, String what) {
        assertSameRow(a, ta, b, tb, what, ROWS);
    }

    private static void assertSameRow(float[] a, int ta, float[] b, int tb, String what, int width) {
        for (int r = 0; r < width; r++) {
            assertEquals(
                    Float.floatToRawIntBits(a[ta * width + r]),
                    Float.floatToRawIntBits(b[tb * width + r]),
                    what + ", row " + r);
        }
    }
}
