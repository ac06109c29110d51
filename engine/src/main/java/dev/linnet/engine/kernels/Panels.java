package dev.linnet.engine.kernels;

/**
 * A weight matrix re-laid for the vector matmul: rows in panels of 16, each panel stored column by
 * column, so the 16 weights of one column of a panel are one contiguous 512-bit load:
 * element (r, c) sits at ((r / 16) * cols + c) * 16 + r % 16. The last panel is padded with zero rows.
 * bfloat16 stays 16-bit, two columns to an int: lane r % 16 of column pair q holds column 2q in its low half and
 * column 2q + 1 in its high half, so one 512-bit int load gives two columns, each widened by one shift or
 * mask (an odd last column has a zero high half, never read); float16 is widened once here, float32 copied.
 * Built once per {@link Matrix} on first use and kept with it (it costs one more copy of the weights).
 */
final class Panels {
    static final int HEIGHT = 16;

    final int rows;
    final int cols;
    final int count;
    /** float32 panels (F32 and F16 weights), else null. */
    final float[] f32;
    /** bfloat16 panels (BF16 weights), column pairs packed in ints, else null: see {@link #pairStart}. */
    final int[] bf16;
    /** Column pairs per panel of {@link #bf16}: (cols + 1) / 2. */
    final int pairs;

    private Panels(Matrix w) {
        rows = w.rows();
        cols = w.cols();
        count = (rows + HEIGHT - 1) / HEIGHT;
        pairs = (cols + 1) / 2;
        long size = (long) count * (w.storage() == Matrix.Storage.BF16 ? 2L * pairs : cols) * HEIGHT;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "matrix [" + rows + ", " + cols + "] is too large for one array of panels");
        }
        if (w.storage() == Matrix.Storage.BF16) {
            short[] src = w.bits16();
            int[] dst = new int[(int) (size / 2)];
            for (int r = 0; r < rows; r++) {
                int base = (r / HEIGHT) * pairs * HEIGHT + r % HEIGHT;
                for (int c = 0; c < cols; c++) {
                    int bits = src[r * cols + c] & 0xFFFF;
                    dst[base + (c / 2) * HEIGHT] |= (c % 2 == 0) ? bits : bits << 16;
                }
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

    /** Index of the first weight of panel p in {@link #f32}. */
    int start(int p) {
        return p * cols * HEIGHT;
    }

    /** Index of the first column pair of panel p in {@link #bf16}. */
    int pairStart(int p) {
        return p * pairs * HEIGHT;
    }
}
