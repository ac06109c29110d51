package dev.linnet.engine.kernels;

import java.util.Objects;

/**
 * A row-major weight matrix [rows, cols] held in a heap array: float32, or 16-bit (bfloat16 / float16)
 * bits widened to float32 inside the kernels. Heap arrays (not ByteBuffers) because the Vector API loads
 * from arrays on every JDK from 17 to 25.
 *
 * <p>Weights ({@link #ofFloats}, {@link #ofBf16}, {@link #ofF16}) are read-only once in use: the vector
 * kernels keep a re-laid copy with the matrix, built on first use. For data that changes between calls
 * (a state or cache matrix) use {@link #ofChangingFloats}: it is re-laid on every call instead.
 */
public final class Matrix {
    /** How the elements are stored. */
    public enum Storage {
        F32,
        BF16,
        F16
    }

    private final int rows;
    private final int cols;
    private final Storage storage;
    private final float[] f32;
    private final short[] bits16;
    /** The kernels' own layout of these weights, built on first use (see Panels). */
    private volatile Object kernelData;

    /** Whether the kernels may keep a re-laid copy (false: the data may change between calls). */
    private final boolean fixed;

    private Matrix(int rows, int cols, Storage storage, float[] f32, short[] bits16) {
        this(rows, cols, storage, f32, bits16, true);
    }

    private Matrix(int rows, int cols, Storage storage, float[] f32, short[] bits16, boolean fixed) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix shape must be positive, got [" + rows + ", " + cols + "]");
        }
        long n = (long) rows * cols;
        long have = f32 != null ? f32.length : bits16.length;
        if (have != n) {
            throw new IllegalArgumentException(
                    "matrix [" + rows + ", " + cols + "] needs " + n + " elements, got " + have);
        }
        this.rows = rows;
        this.cols = cols;
        this.storage = storage;
        this.f32 = f32;
        this.bits16 = bits16;
        this.fixed = fixed;
    }

    public static Matrix ofFloats(int rows, int cols, float[] data) {
        return new Matrix(rows, cols, Storage.F32, Objects.requireNonNull(data), null);
    }

    /**
     * A float32 matrix over data that may change between kernel calls (no re-laid copy is kept, so a
     * matmul on it pays for re-laying the data every call).
     */
    public static Matrix ofChangingFloats(int rows, int cols, float[] data) {
        return new Matrix(rows, cols, Storage.F32, Objects.requireNonNull(data), null, false);
    }

    public static Matrix ofBf16(int rows, int cols, short[] bits) {
        return new Matrix(rows, cols, Storage.BF16, null, Objects.requireNonNull(bits));
    }

    public static Matrix ofF16(int rows, int cols, short[] bits) {
        return new Matrix(rows, cols, Storage.F16, null, Objects.requireNonNull(bits));
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public Storage storage() {
        return storage;
    }
    /** The float32 elements; only for {@link Storage#F32}. */
    public float[] f32() {
        return f32;
    }
    /** The raw 16-bit elements; only for {@link Storage#BF16} and {@link Storage#F16}. */
    public short[] bits16() {
        return bits16;
    }

    /** One element as float32 (slow path: tests, embedding lookups). */
    public float get(int r, int c) {
        int i = r * cols + c;
        return switch (storage) {
            case F32 -> f32[i];
            case BF16 -> Bits16.bf16ToFloat(bits16[i]);
            case F16 -> Bits16.f16ToFloat(bits16[i]);
        };
    }

    /** Copies row r, widened to float32, into dst[dstOff ..]. */
    public void copyRow(int r, float[] dst, int dstOff) {
        int base = r * cols;
        switch (storage) {
            case F32 -> System.arraycopy(f32, base, dst, dstOff, cols);
            case BF16 -> {
                for (int c = 0; c < cols; c++) dst[dstOff + c] = Bits16.bf16ToFloat(bits16[base + c]);
            }
            case F16 -> {
                for (int c = 0; c < cols; c++) dst[dstOff + c] = Bits16.f16ToFloat(bits16[base + c]);
            }
        }
    }

    /** Whether the data is fixed once in use, so that the kernels may cache a re-laid copy. */
    boolean fixed() {
        return fixed;
    }

    Object kernelData() {
        return kernelData;
    }

    void kernelData(Object data) {
        if (fixed) {
            kernelData = data;
        }
    }

    /** Bytes of weight data (what a single-token step must stream from memory). */
    public long bytes() {
        return (long) rows * cols * (storage == Storage.F32 ? 4 : 2);
    }
}
