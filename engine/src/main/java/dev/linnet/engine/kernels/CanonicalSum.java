package dev.linnet.engine.kernels;

/**
 * The summation order of dot products and sums outside matmul (dot, sumOfSquares, softmax), written out
 * in scalar Java: the reference the vector kernels reproduce bit for bit, so results do not depend on
 * whether the Vector API is present. (matmul sums each element sequentially instead: see Kernels.)
 *
 * <p>A sum over {@code len} terms is taken in {@value #LANES} interleaved partial sums: lane i
 * accumulates the terms i, i + 16, i + 32, ... of the first {@code len - len % 16} terms (each step a
 * fused multiply-add for products). The lanes are then folded by a fixed tree: lane i += lane i + 8,
 * then i += i + 4, i += i + 2, i += i + 1. The last {@code len % 16} terms are added to that result
 * one by one in index order.
 */
final class CanonicalSum {
    /** Width of the canonical partial-sum vector: the float lanes of a 512-bit register. */
    static final int LANES = 16;

    private CanonicalSum() {}

    /** The canonical dot product of a[aOff ..] and b[bOff ..] over len terms. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        int bound = len - len % LANES;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        float s8 = 0f, s9 = 0f, s10 = 0f, s11 = 0f, s12 = 0f, s13 = 0f, s14 = 0f, s15 = 0f;
        for (int c = 0; c < bound; c += LANES) {
            int i = aOff + c;
            int j = bOff + c;
            s0 = Math.fma(a[i], b[j], s0);
            s1 = Math.fma(a[i + 1], b[j + 1], s1);
            s2 = Math.fma(a[i + 2], b[j + 2], s2);
            s3 = Math.fma(a[i + 3], b[j + 3], s3);
            s4 = Math.fma(a[i + 4], b[j + 4], s4);
            s5 = Math.fma(a[i + 5], b[j + 5], s5);
            s6 = Math.fma(a[i + 6], b[j + 6], s6);
            s7 = Math.fma(a[i + 7], b[j + 7], s7);
            s8 = Math.fma(a[i + 8], b[j + 8], s8);
            s9 = Math.fma(a[i + 9], b[j + 9], s9);
            s10 = Math.fma(a[i + 10], b[j + 10], s10);
            s11 = Math.fma(a[i + 11], b[j + 11], s11);
            s12 = Math.fma(a[i + 12], b[j + 12], s12);
            s13 = Math.fma(a[i + 13], b[j + 13], s13);
            s14 = Math.fma(a[i + 14], b[j + 14], s14);
            s15 = Math.fma(a[i + 15], b[j + 15], s15);
        }
        float s = tree(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15);
        for (int c = bound; c < len; c++) {
            s = Math.fma(a[aOff + c], b[bOff + c], s);
        }
        return s;
    }

    /** The canonical sum of x[off ..] over len terms (plain additions, same lane layout and tree). */
    static float sum(float[] x, int off, int len) {
        int bound = len - len % LANES;
        float[] lanes = new float[LANES];
        for (int c = 0; c < bound; c += LANES) {
            for (int i = 0; i < LANES; i++) {
                lanes[i] += x[off + c + i];
            }
        }
        float s = tree(lanes);
        for (int c = bound; c < len; c++) {
            s += x[off + c];
        }
        return s;
    }

    /** Folds the 16 partial sums l[0 .. 16) in the canonical tree order. */
    static float tree(float[] l) {
        return tree(l, 0);
    }

    /** Folds the 16 partial sums l[o .. o + 16) in the canonical tree order. */
    static float tree(float[] l, int o) {
        return tree(
                l[o], l[o + 1], l[o + 2], l[o + 3], l[o + 4], l[o + 5], l[o + 6], l[o + 7], l[o + 8], l[o + 9],
                l[o + 10], l[o + 11], l[o + 12], l[o + 13], l[o + 14], l[o + 15]);
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    static float tree(
            float l0,
            float l1,
            float l2,
            float l3,
            float l4,
            float l5,
            float l6,
            float l7,
            float l8,
            float l9,
            float l10,
            float l11,
            float l12,
            float l13,
            float l14,
            float l15) {
        // lane i += lane i + 8
        float a0 = l0 + l8, a1 = l1 + l9, a2 = l2 + l10, a3 = l3 + l11;
        float a4 = l4 + l12, a5 = l5 + l13, a6 = l6 + l14, a7 = l7 + l15;
        // lane i += lane i + 4
        float b0 = a0 + a4, b1 = a1 + a5, b2 = a2 + a6, b3 = a3 + a7;
        // lane i += lane i + 2, then lane 0 += lane 1
        float c0 = b0 + b2, c1 = b1 + b3;
        return c0 + c1;
    }
}
