package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector-by-vector methods: every implementation gives the scalar bits, and the right values. */
class ElementwiseKernelsTest {
    /** Up to 1000 on the calling thread; the longest are spread over the kernel threads, with tails. */
    private static final int[] LENGTHS = {0, 1, 7, 15, 16, 17, 31, 100, 1000, 40_003, 100_017};

    private static final int OFF = 3;

    @Test
    void reductionsMatchScalarBitsAndDoubleReference() {
        Random rnd = new Random(11);
        Kernels scalar = new ScalarKernels();
        for (int len : LENGTHS) {
            float[] a = TestData.gaussian(rnd, len + 2 * OFF);
            float[] b = TestData.gaussian(rnd, len + OFF);
            double dot = 0, squares = 0, magnitude = 0;
            for (int i = 0; i < len; i++) {
                dot += (double) a[OFF + i] * b[i];
                magnitude += Math.abs((double) a[OFF + i] * b[i]);
                squares += (double) a[OFF + i] * a[OFF + i];
            }
            for (Kernels k : TestData.implementations()) {
                float d = k.dot(a, OFF, b, 0, len);
                float s = k.sumOfSquares(a, OFF, len);
                assertEquals(
                        Float.floatToRawIntBits(scalar.dot(a, OFF, b, 0, len)),
                        Float.floatToRawIntBits(d),
                        TestData.label(k) + " dot len " + len);
                assertEquals(
                        Float.floatToRawIntBits(scalar.sumOfSquares(a, OFF, len)),
                        Float.floatToRawIntBits(s),
                        TestData.label(k) + " sumOfSquares len " + len);
                assertTrue(
                        Math.abs(d - dot) <= 1e-5 * magnitude + 1e-30,
                        TestData.label(k) + " dot len " + len + ": " + d + " vs " + dot);
                assertTrue(
                        Math.abs(s - squares) <= 1e-5 * squares + 1e-30,
                        TestData.label(k) + " sumOfSquares len " + len);
            }
        }
    }

    /** SwiGLU's rows, spread over the kernel threads above a size, give the scalar bits (widths with tails too). */
    @Test
    void swigluMatchesScalarBitsOnOneThreadOrMany() {
        Random rnd = new Random(13);
        Kernels scalar = new ScalarKernels();
        for (int[] shape : new int[][] {{1, 7}, {3, 100}, {40, 1000}, {257, 1031}}) {
            int n = shape[0], width = shape[1];
            float[] gu = TestData.gaussian(rnd, 2 * n * width);
            float[] expected = new float[n * width];
            scalar.swiglu(gu.clone(), n, width, expected);
            for (int i = 0; i < 5; i++) {
                float g = gu[i], u = gu[width + i];
                assertEquals(g / (1 + Math.exp(-g)) * u, expected[i], 1e-5 * (1 + Math.abs(u)), "value " + i);
            }
            for (Kernels k : TestData.implementations()) {
                float[] act = new float[n * width];
                k.swiglu(gu.clone(), n, width, act);
                sameBits(expected, act, TestData.label(k) + " swiglu " + n + " x " + width);
            }
        }
    }

    @Test
    void inPlaceOperationsMatchScalarBitsAndTouchOnlyTheirRange() {
        Random rnd = new Random(12);
        Kernels scalar = new ScalarKernels();
        for (int len : LENGTHS) {
            float[] x = TestData.gaussian(rnd, len + 2 * OFF);
            float[] y = TestData.gaussian(rnd, len + 2 * OFF);
            for (Kernels k : TestData.implementations()) {
                String what = TestData.label(k) + " len " + len;
                sameBits(apply(scalar, "axpy", x, y, len), apply(k, "axpy", x, y, len), what + " axpy");
                sameBits(apply(scalar, "scale", x, y, len), apply(k, "scale", x, y, len), what + " scale");
                sameBits(apply(scalar, "multiply", x, y, len), apply(k, "multiply", x, y, len), what + " multiply");
                sameBits(apply(scalar, "exp", x, y, len), apply(k, "exp", x, y, len), what + " exp");
                sameBits(apply(scalar, "sigmoid", x, y, len), apply(k, "sigmoid", x, y, len), what + " sigmoid");
                sameBits(apply(scalar, "silu", x, y, len), apply(k, "silu", x, y, len), what + " silu");
                if (len > 0) {
                    sameBits(apply(scalar, "softmax", x, y, len), apply(k, "softmax", x, y, len), what + " softmax");
                }
            }
        }
    }

    /** Every row exactly once, in contiguous ranges; more than one range when the work is large and threads allow. */
    @Test
    void rowRangesCoverEveryRowOnce() {
        for (Kernels k : TestData.implementations()) {
            for (int[] shape :
                    new int[][] {{0, 1 << 20}, {1, 1 << 20}, {2, 1 << 15}, {63, 512}, {64, 512}, {1000, 33}}) {
                int n = shape[0], width = shape[1];
                int[] visits = new int[n];
                java.util.concurrent.atomic.AtomicInteger ranges = new java.util.concurrent.atomic.AtomicInteger();
                k.forEachRowRange(n, width, (from, to) -> {
                    assertTrue(0 <= from && from < to && to <= n, "range " + from + ".." + to + " of " + n);
                    ranges.incrementAndGet();
                    for (int r = from; r < to; r++) visits[r]++;
                });
                String what = TestData.label(k) + " " + n + " rows of " + width;
                for (int r = 0; r < n; r++) assertEquals(1, visits[r], what + ": row " + r);
                if (n >= 2 && (long) n * width >= Kernels.PARALLEL_ELEMENTS && k.taskThreads() > 1) {
                    assertTrue(ranges.get() > 1, what + ": one range");
                }
            }
        }
    }

    @Test
    void valuesAreRight() {
        float[] x = {-3f, -0.5f, 0f, 0.5f, 2f, 10f};
        for (Kernels k : TestData.implementations()) {
            float[] silu = x.clone();
            k.silu(silu, 0, x.length);
            float[] sigmoid = x.clone();
            k.sigmoid(sigmoid, 0, x.length);
            float[] soft = x.clone();
            k.softmax(soft, 0, x.length);
            double total = 0;
            for (double v : x) total += Math.exp(v - 10);
            for (int i = 0; i < x.length; i++) {
                double sig = 1 / (1 + Math.exp(-x[i]));
                assertEquals(sig, sigmoid[i], 1e-6, TestData.label(k) + " sigmoid");
                assertEquals(x[i] * sig, silu[i], 1e-6, TestData.label(k) + " silu");
                assertEquals(Math.exp(x[i] - 10) / total, soft[i], 1e-6, TestData.label(k) + " softmax");
            }
            float[] y = {1f, 2f, 3f};
            k.axpy(2f, new float[] {1f, 1f, 1f}, 0, y, 0, 3);
            k.multiply(new float[] {2f, 2f, 2f}, 0, y, 0, 3);
            k.scale(y, 0, 3, 0.5f);
            assertEquals(Arrays.toString(new float[] {3f, 4f, 5f}), Arrays.toString(y), TestData.label(k));
        }
    }

    /** Runs one operation on copies; returns the whole array so untouched elements are compared too. */
    private static float[] apply(Kernels k, String op, float[] x, float[] y, int len) {
        float[] a = x.clone();
        float[] b = y.clone();
        switch (op) {
            case "axpy":
                k.axpy(0.37f, a, OFF, b, 1, len);
                return b;
            case "scale":
                k.scale(a, OFF, len, -1.7f);
                return a;
            case "multiply":
                k.multiply(a, OFF, b, 2, len);
                return b;
            case "exp":
                k.expInPlace(a, OFF, len);
                return a;
            case "sigmoid":
                k.sigmoid(a, OFF, len);
                return a;
            case "silu":
                k.silu(a, OFF, len);
                return a;
            case "softmax":
                k.softmax(a, OFF, len);
                return a;
            default:
                throw new IllegalArgumentException(op);
        }
    }

    private static void sameBits(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), what + " at " + i);
        }
    }
}
