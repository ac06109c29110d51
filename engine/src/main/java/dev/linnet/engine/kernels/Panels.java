package dev.linnet.engine.kernels;

/**
 * A weight matrix re-laid for the vector matmul: rows in panels of 16, each panel stored column by
 * column, so the 16 weights of one column of a panel are one contiguous 512-bit load:
 * element (r, c) sits at ((r / 16) * cols + c) * 16 + r % 16. The last panel is padded with zero rows.
 * bfloat16 stays 16-bit (widened in registers); float16 is widened once here, float32 copied.
 * Built once per {@link Matrix} on first use and kept with it (it costs one more copy of the weights).
 */
final class Panels {
    static final int HEIGHT = 16;

    final int rows;
    final int cols;
    final int count;
    /** float32 panels (F32 and F16 weights), else null. */
    final float[] f32;
    /** bfloat16 panels (BF16 weights), else null. */
    final short[] bf16;

    private Panels(Matrix w) {
        rows = w.rows();
        cols = w.cols();
        count = (rows + HEIGHT - 1) / HEIGHT;
        long size = (long) count * cols * HEIGHT;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "matrix [" + rows + ", " + cols + "] is too large for one array of panels");
        }
        if (w.storage() == Matrix.Storage.BF16) {
            short[] src = w.bits16();
            short[] dst = new short[(int) size];
            for (int r = 0; r < rows; r++) {
                int base = (r / HEIGHT) * cols * HEIGHT + r % HEIGHT;
                for (int c = 0; c < cols; c++) dst[base + c * HEIGHT] = src[r * cols + c];
            }
            f32 = null;
            bf16 = dst;
        } else {
            float[] dst = new float[(int) size];
            float[] row = new float[cols];
            for (int r = 0; r < rows; r++) {
                w.copyRow(r, row, 0);
                int base = (r / HEIGHT) * cols * HEIGHT + r % HEIGHT;
                for (int c = 0; c < cols; c++) dst[base + c * HEIGHT] = row[c];
            }
            f32 = dst;
            bf16 = null;
        }
    }

    /**
     * The panels of w: for fixed weights built on first call and cached in w (a race builds equal
     * copies, one is kept); for changing data built anew on every call.
     */
    static Panels of(Matrix w) {
        Object cached = w.kernelData();
        if (cached instanceof Panels) {
            return (Panels) cached;
        }
        Panels p = new Panels(w);
        w.kernelData(p);
        return p;
    }

    /** Index of the first weight of panel p. */
    int start(int p) {
        return p * cols * HEIGHT;
    }
}
