package dev.linnet.engine.kernels;

import java.util.Random;

/** Random operands for the kernel tests. */
final class TestData {
    private TestData() {}

    static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    /** A rows x cols matrix of the given storage, values roughly N(0, 1) then rounded to the storage. */
    static Matrix matrix(Random rnd, Matrix.Storage storage, int rows, int cols) {
        float[] f = gaussian(rnd, rows * cols);
        switch (storage) {
            case F32:
                return Matrix.ofFloats(rows, cols, f);
            case BF16: {
                short[] b = new short[f.length];
                for (int i = 0; i < f.length; i++) b[i] = Bits16.floatToBf16(f[i]);
                return Matrix.ofBf16(rows, cols, b);
            }
            default: {
                short[] h = new short[f.length];
                for (int i = 0; i < f.length; i++) h[i] = floatToF16(f[i]);
                return Matrix.ofF16(rows, cols, h);
            }
        }
    }

    /** float to IEEE half, truncating (exactness is not needed: any half bits make a valid test matrix). */
    static short floatToF16(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exp = ((x >>> 23) & 0xff) - 127 + 15;
        int mant = (x >>> 13) & 0x3ff;
        if (exp <= 0) return (short) sign;
        if (exp >= 31) return (short) (sign | 0x7bff);
        return (short) (sign | (exp << 10) | mant);
    }

    /** The kernels under test: scalar, and vector where the CPU has 512-bit vectors. */
    static Kernels[] implementations() {
        if (!vectorsAvailable()) {
            return new Kernels[] {new ScalarKernels()};
        }
        return new Kernels[] {new ScalarKernels(), new VectorKernels()};
    }

    /** True where the vector kernels can run: the tests run with the incubator module, on 512-bit CPUs. */
    static boolean vectorsAvailable() {
        try {
            new VectorKernels();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    static String label(Kernels k) {
        return k.name();
    }
}
