package dev.linnet.engine.kernels;

/** Argument checks shared by the kernel implementations: bad input fails with a message naming it. */
final class KernelArgs {
    private KernelArgs() {}

    /** Checks that array[off .. off + len) exists; name says which argument it is. */
    static void range(String name, float[] array, int off, long len) {
        range(name, "", array, off, len);
    }

    /**
     * As above, for the argument named name + what: the two are joined only for the message, so a check that
     * passes allocates nothing (these run for every product of every token).
     */
    static void range(String name, String what, float[] array, int off, long len) {
        if (array == null) {
            throw new IllegalArgumentException(name + what + " is null");
        }
        if (off < 0 || len < 0 || off + len > array.length) {
            throw new IllegalArgumentException(name + what + ": range [" + off + ", " + (off + len)
                    + ") does not fit an array of length " + array.length);
        }
    }

    /** Checks the operands of matmul: x holds n rows of w.cols(), out has room for n rows of w.rows(). */
    static void matmul(float[] x, int xOff, int n, Matrix w, float[] out, int outOff) {
        if (w == null) {
            throw new IllegalArgumentException("matmul: weight matrix is null");
        }
        if (n < 0) {
            throw new IllegalArgumentException("matmul: token count n must be >= 0, got " + n);
        }
        if (x == null || x.length < (long) xOff + (long) n * w.cols() || xOff < 0) {
            throw new IllegalArgumentException("matmul: input x needs " + n + " rows of " + w.cols()
                    + " floats from offset " + xOff + ", has length " + (x == null ? "null" : x.length));
        }
        if (out == null || out.length < (long) outOff + (long) n * w.rows() || outOff < 0) {
            throw new IllegalArgumentException("matmul: output needs " + n + " rows of " + w.rows()
                    + " floats from offset " + outOff + ", has length " + (out == null ? "null" : out.length));
        }
        if (out == x) {
            throw new IllegalArgumentException("matmul: output must not be the input array");
        }
    }

    /** Checks the operands of matmulBlocksSwiglu: as matmulBlocks, matrices of even rows, act room for each half. */
    static void matmulBlocksSwiglu(float[] x, int[] start, Matrix[] w, float[] act) {
        blocks(x, start, w);
        if (w[0].rows() % 2 != 0) {
            throw new IllegalArgumentException(
                    "matmulBlocksSwiglu: gate and up need an even row count, got " + w[0].rows());
        }
        int rows = start[w.length], inter = w[0].rows() / 2;
        range("matmulBlocksSwiglu: act", act, 0, (long) rows * inter);
        if (act == x) {
            throw new IllegalArgumentException("matmulBlocksSwiglu: act must not be the input array");
        }
    }

    /** Checks the operands of matmulBlocks: matrices of one shape, ascending block starts, room for every row. */
    static void matmulBlocks(float[] x, int[] start, Matrix[] w, float[] out) {
        blocks(x, start, w);
        matmul(x, 0, start[w.length], w[0], out, 0);
    }

    private static void blocks(float[] x, int[] start, Matrix[] w) {
        if (w == null || w.length == 0 || start == null || start.length != w.length + 1) {
            throw new IllegalArgumentException("matmulBlocks: needs at least one matrix and one more block start than"
                    + " matrices, got " + (w == null ? "null" : w.length) + " matrices and "
                    + (start == null ? "null" : start.length) + " starts");
        }
        for (int e = 0; e < w.length; e++) {
            if (w[e] == null) {
                throw new IllegalArgumentException("matmulBlocks: matrix " + e + " is null");
            }
            if (w[e].rows() != w[0].rows() || w[e].cols() != w[0].cols()) {
                throw new IllegalArgumentException("matmulBlocks: matrix " + e + " is " + w[e].rows() + " x "
                        + w[e].cols() + ", matrix 0 " + w[0].rows() + " x " + w[0].cols());
            }
            if (start[e + 1] < start[e]) {
                throw new IllegalArgumentException(
                        "matmulBlocks: block starts must ascend, got " + start[e] + " then " + start[e + 1]);
            }
        }
        if (start[0] != 0) {
            throw new IllegalArgumentException("matmulBlocks: the first block must start at row 0, got " + start[0]);
        }
        range("matmulBlocks: input x", x, 0, (long) start[w.length] * w[0].cols());
    }

    /** Checks the operands of matmulNoTranspose: x is n x k, b is k x m, out is n x m. */
    static void matmulNoTranspose(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff) {
        matmulNoTranspose("matmulNoTranspose", x, xOff, n, b, bOff, k, m, out, outOff);
    }

    /** As above, for the product called name. */
    static void matmulNoTranspose(
            String name, float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff) {
        if (n < 0) {
            throw new IllegalArgumentException(name + ": token count n must be >= 0, got " + n);
        }
        if (k < 1 || m < 1) {
            throw new IllegalArgumentException(name + ": b must be at least 1 x 1, got " + k + " x " + m);
        }
        range(name, ": input x", x, xOff, (long) n * k);
        range(name, ": matrix b", b, bOff, (long) k * m);
        range(name, ": output", out, outOff, (long) n * m);
        if (out == x || out == b) {
            throw new IllegalArgumentException(name + ": output must not be an input array");
        }
    }
}
