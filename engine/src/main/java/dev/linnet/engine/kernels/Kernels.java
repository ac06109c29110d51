package dev.linnet.engine.kernels;

/**
 * The hot loops, in one place. Model code calls only these; an implementation on the Vector API is
 * chosen when the incubator module is present at run time, otherwise the scalar one (with one warning).
 *
 * <p>Determinism contract: every output element is summed in an order that depends only on the
 * operand lengths, never on the number of rows in the batch, the row's position in it, or the thread
 * that computes it. So a stream's rows come out bit-identical whatever else shares the batch.
 */
public interface Kernels {

    /** A short name for logs and benchmark reports ("vector-512", "scalar"). */
    String name();

    /**
     * out[t * w.rows() + r] = sum over c of x[t * w.cols() + c] * w[r, c], for t &lt; n and r &lt; w.rows().
     * x holds n contiguous rows of w.cols() floats; out receives n contiguous rows of w.rows() floats.
     */
    void matmul(float[] x, int n, Matrix w, float[] out);

    /** sum of a[aOff + i] * b[bOff + i] for i &lt; len. */
    float dot(float[] a, int aOff, float[] b, int bOff, int len);

    /** y[yOff + i] += alpha * x[xOff + i] for i &lt; len. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len);

    /** x[off + i] *= alpha for i &lt; len. */
    void scale(float[] x, int off, int len, float alpha);

    /** sum of x[off + i]^2 for i &lt; len. */
    float sumOfSquares(float[] x, int off, int len);

    /** The implementation for this JVM: vector when jdk.incubator.vector is present, else scalar. */
    static Kernels get() {
        return KernelSelector.SELECTED;
    }
}
