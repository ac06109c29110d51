package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments fail with an IllegalArgumentException that names what was wrong. */
class BadInputTest {
    @Test
    void matmulRejectsShortOrMissingArrays() {
        Matrix w = Matrix.ofFloats(4, 8, new float[32]);
        for (Kernels k : TestData.implementations()) {
            expect(() -> k.matmul(new float[15], 2, w, new float[8]), "input x");
            expect(() -> k.matmul(new float[16], 2, w, new float[7]), "output");
            expect(() -> k.matmul(new float[16], 1, 2, w, new float[8], 0), "input x");
            expect(() -> k.matmul(new float[16], 0, 2, w, new float[8], -1), "output");
            expect(() -> k.matmul(new float[16], -1, w, new float[8]), "n must be >= 0");
            expect(() -> k.matmul(null, 1, w, new float[8]), "input x");
            expect(() -> k.matmul(new float[16], 1, null, new float[8]), "weight matrix is null");
            float[] same = new float[64];
            expect(() -> k.matmul(same, 1, w, same), "must not be the input");
        }
    }

    @Test
    void vectorMethodsRejectBadRanges() {
        for (Kernels k : TestData.implementations()) {
            expect(() -> k.dot(new float[4], 0, new float[3], 0, 4), "dot: b");
            expect(() -> k.axpy(1f, new float[4], -1, new float[4], 0, 2), "axpy: x");
            expect(() -> k.scale(new float[4], 2, 3, 1f), "scale: x");
            expect(() -> k.sumOfSquares(new float[4], 0, -1), "sumOfSquares: x");
            expect(() -> k.multiply(new float[4], 0, null, 0, 1), "multiply: y is null");
            expect(() -> k.softmax(new float[4], 0, 0), "at least one element");
            expect(() -> k.silu(new float[4], 1, 4), "silu: x");
        }
    }

    @Test
    void matrixRejectsBadShapes() {
        expect(() -> Matrix.ofFloats(2, 3, new float[5]), "needs 6 elements");
        expect(() -> Matrix.ofBf16(0, 3, new short[0]), "must be positive");
    }

    private static void expect(Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(
                e.getMessage().contains(fragment),
                "message '" + e.getMessage() + "' should mention '" + fragment + "'");
    }
}
