package dev.linnet.engine.kernels;

/**
 * The hot loops, in one place. Model code calls only these; an implementation on the Vector API is
 * chosen when the incubator module is present at run time, otherwise the scalar one (with one warning).
 *
 * <p>Determinism contract: every output element is summed in an order that depends only on the
 * operand lengths, never on the number of rows in the batch, the row's position in it, or the thread
 * that computes it. So a stream's rows come out bit-identical whatever else shares the batch.
 * The orders: each matmul element is the plain sequential sum over the columns, s = fma(x[c], w[r, c], s)
 * from s = 0; dot, sumOfSquares and the softmax sum use 16 interleaved partial sums folded by a fixed
 * tree, then the tail in index order ({@code CanonicalSum}). Both implementations use these orders, so on
 * a CPU with 512-bit vectors the vector and the scalar kernels give identical bits.
 *
 * <p>Every method checks its ranges and fails with an {@link IllegalArgumentException} naming the bad
 * argument. Methods that work in place leave other elements untouched.
 */
public interface Kernels {

    /** A short name for logs and benchmark reports ("vector-512", "scalar"). */
    String name();

    /**
     * out[t * w.rows() + r] = sum over c of x[t * w.cols() + c] * w[r, c], for t &lt; n and r &lt; w.rows().
     * x holds n contiguous rows of w.cols() floats; out receives n contiguous rows of w.rows() floats.
     */
    void matmul(float[] x, int n, Matrix w, float[] out);

    /**
     * As {@link #matmul(float[], int, Matrix, float[])}, reading x from xOff and writing out from outOff:
     * out[outOff + t * w.rows() + r] = sum over c of x[xOff + t * w.cols() + c] * w[r, c].
     * For speed, pass all tokens of a chunk in one call (tokens of different streams may share a call:
     * the determinism contract keeps each one's bits): batches run register-blocked, 4 tokens x 64 rows
     * per tile, and calls over about a million flops are split between the cores.
     * The first call on a matrix lays its weights out for the vector kernels and keeps that copy with the
     * matrix (one more copy of the weights in memory); do not change the weight arrays after that, or
     * use {@link Matrix#ofChangingFloats} for data that changes.
     */
    void matmul(float[] x, int xOff, int n, Matrix w, float[] out, int outOff);

    /**
     * Several products of one shape in one call, row blocks of one input against their own matrices (a mixture's
     * experts, each over the rows routed to it): rows [start[e], start[e + 1]) of x times w[e], into the same rows
     * of out. All w[e] have one shape; start has w.length + 1 ascending entries from 0. Each output element is the
     * sum {@link #matmul} gives it; an implementation may run the blocks' parts on its threads together, where one
     * call per block would wait for each block's last part.
     */
    default void matmulBlocks(float[] x, int[] start, Matrix[] w, float[] out) {
        KernelArgs.matmulBlocks(x, start, w, out);
        for (int e = 0; e < w.length; e++) {
            int n = start[e + 1] - start[e];
            if (n > 0) matmul(x, start[e] * w[e].cols(), n, w[e], out, start[e] * w[e].rows());
        }
    }

    /**
     * {@link #matmulBlocks} with gate-and-up matrices [2 inter, cols] (gate rows, then up rows), followed by
     * {@link #swiglu} of each row into act [rows, inter]: the experts' first step. An implementation may apply SwiGLU
     * to each part of the products as it is computed, never writing the products out; every element is what the two
     * calls give it.
     */
    default void matmulBlocksSwiglu(float[] x, int[] start, Matrix[] w, float[] act) {
        KernelArgs.matmulBlocksSwiglu(x, start, w, act);
        int inter = w[0].rows() / 2;
        float[] gu = new float[start[w.length] * 2 * inter];
        matmulBlocks(x, start, w, gu);
        swiglu(gu, start[w.length], inter, act);
    }

    /**
     * out[outOff + t * m + j] = sum over i of x[xOff + t * k + i] * b[bOff + i * m + j], for t &lt; n and
     * j &lt; m: x (n x k) times b (k x m, row-major) with no transpose. b is read as it is, with no
     * re-laid copy, so it may change between calls: a linear-attention state, keys stored one column per
     * position, a chunk of values. Each element is the sequential sum over i, as in matmul; it runs at
     * matmul speed when m is a multiple of 64 (the last m % 16 columns run in scalar code).
     */
    void matmulNoTranspose(float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff);

    /**
     * The causal part of {@link #matmulNoTranspose}: out[outOff + t * m + j] for j &lt;= t only, each the same sum as
     * there. Entries with j &gt; t are left unspecified (some are computed, the others keep what they held): a causal
     * attention block's scores, whose upper triangle the caller masks. Runs on the calling thread.
     */
    void matmulNoTransposeLowerResult(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff);

    /**
     * {@link #matmulNoTranspose} for a lower-triangular x: x[t][i] must be 0 for i &gt; t, and a sum may skip those
     * terms (for finite b, adding 0 * b to a sum that started at +0 changes no bit: such a sum is never -0). A causal
     * attention block's masked scores times its values. Runs on the calling thread.
     */
    void matmulNoTransposeLowerLeft(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff);

    /**
     * Prepares w for matmul now (the vector kernels lay out its weights, which the first matmul would
     * otherwise do): call it while loading a model to keep that cost off the first request.
     */
    default void prepare(Matrix w) {
        if (w == null) {
            throw new IllegalArgumentException("prepare: weight matrix is null");
        }
    }

    /**
     * Runs body.accept(i) once for every i in [0, tasks) on the kernels' threads (the caller works too).
     * For work that splits into independent parts (attention heads, blocks of queries): each task must
     * write only its own outputs, so the result does not depend on which thread ran which task.
     */
    default void forEachTask(int tasks, java.util.function.IntConsumer body) {
        if (body == null) {
            throw new IllegalArgumentException("forEachTask: body is null");
        }
        KernelThreads.forEach(tasks, body);
    }

    /** How many threads {@link #forEachTask} may use at once, the caller included. */
    default int taskThreads() {
        return KernelThreads.parallelism();
    }

    /** Rows of work below this many elements stay on the calling thread (handing work over costs microseconds). */
    long PARALLEL_ELEMENTS = 1L << 15;

    /** The body of {@link #forEachRowRange}: rows [from, to). */
    @FunctionalInterface
    interface RowRange {
        void run(int from, int to);
    }

    /**
     * Runs body over rows [0, n) in contiguous ranges, spread over the kernels' threads once the rows hold
     * {@link #PARALLEL_ELEMENTS} elements ({@code width} each). For row-wise work (norms, element-wise passes):
     * each row must come out the same whichever range holds it, so the split never changes a result.
     */
    default void forEachRowRange(int n, long width, RowRange body) {
        if (body == null) {
            throw new IllegalArgumentException("forEachRowRange: body is null");
        }
        if (n <= 0) {
            return;
        }
        int threads = taskThreads();
        if (n == 1 || threads == 1 || (long) n * width < PARALLEL_ELEMENTS) {
            body.run(0, n);
            return;
        }
        // a few ranges per thread: a helper that joins late still finds work
        int tasks = Math.min(n, 4 * threads);
        forEachTask(tasks, t -> body.run((int) ((long) n * t / tasks), (int) ((long) n * (t + 1) / tasks)));
    }

    /** sum of a[aOff + i] * b[bOff + i] for i &lt; len. */
    float dot(float[] a, int aOff, float[] b, int bOff, int len);

    /** y[yOff + i] = fma(alpha, x[xOff + i], y[yOff + i]) for i &lt; len (one rounding per element). */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len);

    /** x[off + i] *= alpha for i &lt; len. */
    void scale(float[] x, int off, int len, float alpha);

    /** sum of x[off + i]^2 for i &lt; len. */
    float sumOfSquares(float[] x, int off, int len);

    /** y[yOff + i] *= x[xOff + i] for i &lt; len (element-wise product, e.g. SwiGLU gating). */
    void multiply(float[] x, int xOff, float[] y, int yOff, int len);

    /** x[off + i] = exp(x[off + i]) for i &lt; len, by {@link FastExp} (the same bits on every path). */
    void expInPlace(float[] x, int off, int len);

    /** x[off + i] = 1 / (1 + exp(-x[off + i])) for i &lt; len. */
    void sigmoid(float[] x, int off, int len);

    /** x[off + i] = x[off + i] / (1 + exp(-x[off + i])) for i &lt; len (SiLU, also called swish). */
    void silu(float[] x, int off, int len);

    /**
     * SwiGLU over n rows of gu, each [gate (width), up (width)]: act[t * width + i] = silu(gate[i]) * up[i], each
     * element computed as {@link #silu} then {@link #multiply} compute it (gu may be overwritten). An
     * implementation may spread the rows over threads: each element is the same whichever thread computes it.
     */
    default void swiglu(float[] gu, int n, int width, float[] act) {
        KernelArgs.range("swiglu: gu", gu, 0, 2L * n * width);
        KernelArgs.range("swiglu: act", act, 0, (long) n * width);
        for (int t = 0; t < n; t++) {
            int b = t * 2 * width;
            silu(gu, b, width);
            multiply(gu, b + width, gu, b, width);
            System.arraycopy(gu, b, act, t * width, width);
        }
    }

    /**
     * Softmax of x[off .. off + len) in place: exp(x - max) / sum, the sum in the canonical order.
     * len must be at least 1.
     */
    void softmax(float[] x, int off, int len);

    /**
     * ln(sum of exp(x[off + i])) for i &lt; len (len &gt;= 1), computed as max + ln(sum exp(x - max)) with
     * {@link FastExp} and the canonical summation order; scratch holds at least len floats.
     */
    float logSumExp(float[] x, int off, int len, float[] scratch);

    /** The implementation for this JVM: vector when jdk.incubator.vector is present, else scalar. */
    static Kernels get() {
        return KernelSelector.SELECTED;
    }
}
