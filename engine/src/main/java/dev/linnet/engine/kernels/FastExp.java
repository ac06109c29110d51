package dev.linnet.engine.kernels;

/**
 * exp(x) for float32 by range reduction and a polynomial, written as a fixed sequence of IEEE operations
 * (fma, add, multiply, integer bit arithmetic) so that {@link VectorKernels} can run the very same sequence on
 * 16 lanes: scalar and vector, interpreted and compiled, every element gets the same bits, whatever its position
 * in an array (a batch's composition never changes a result). About 1 ulp from the true value on the clamped
 * range; {@link Math#exp} costs several times more per element and has no vector form that is bit-stable.
 *
 * <p>x is clamped to [{@value #LO}, {@value #HI}] so the exponent arithmetic never leaves normal numbers:
 * exp of anything below LO is taken as exp(LO) ~ 4e-38 (nothing the model sums can tell the difference), and
 * above HI as exp(HI) ~ 1.6e38.
 */
public final class FastExp {
    static final float LO = -86f;
    static final float HI = 88f;
    static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding it rounds a float in (-2^22, 2^22) to an integer held in the low mantissa bits. */
    static final float MAGIC = 12582912f;

    static final int MAGIC_BITS = 0x4B400000;
    /** ln 2 split in two so that n * LN2_HI is exact for the n that occur. */
    static final float LN2_HI = 0.693145752f;

    static final float LN2_LO = 1.42860677e-6f;
    // minimax coefficients of (exp(r) - 1 - r) / r^2 on [-ln2/2, ln2/2] (the classic cephes expf set)
    static final float C5 = 1.9875691500e-4f;
    static final float C4 = 1.3981999507e-3f;
    static final float C3 = 8.3334519073e-3f;
    static final float C2 = 4.1665795894e-2f;
    static final float C1 = 1.6666665459e-1f;
    static final float C0 = 5.0000001201e-1f;

    private FastExp() {}

    public static float exp(float x) {
        x = Math.min(Math.max(x, LO), HI);
        float t = Math.fma(x, LOG2E, MAGIC);
        float n = t - MAGIC;
        float r = Math.fma(-n, LN2_HI, x);
        r = Math.fma(-n, LN2_LO, r);
        float p = Math.fma(C5, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, C1);
        p = Math.fma(p, r, C0);
        float y = Math.fma(p, r * r, r) + 1f;
        int e = (Float.floatToRawIntBits(t) - MAGIC_BITS) << 23;
        return Float.intBitsToFloat(Float.floatToRawIntBits(y) + e);
    }

    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    public static float silu(float x) {
        return x / (1f + exp(-x));
    }
}
