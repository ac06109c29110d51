package dev.linnet.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Vector API (jdk.incubator.vector), 512-bit vectors. Loaded by name from
 * {@link KernelSelector}, so a JVM without the incubator module never links this class.
 * Results equal {@link ScalarKernels} bit for bit; exp-based methods use {@link FastExp}'s operations lane by lane
 * (the Vector API's own EXP is an intrinsic whose bits differ from its interpreted fallback).
 */
public final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> F = VectorMatmul.F;
    private static final int L = 16;

    private final ScalarKernels scalar = new ScalarKernels();
    private static final Workspace.Slot GATE_UP = Workspace.slot("kernels: gate and up products before SwiGLU");

    /** Fails when this CPU's preferred vectors are not 512 bits wide (the summation orders need 16 lanes). */
    public VectorKernels() {
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (preferred != F.vectorBitSize()) {
            throw new UnsupportedOperationException(
                    "vector kernels need 512-bit vectors; this CPU prefers " + preferred + "-bit ones");
        }
    }

    @Override
    public String name() {
        return "vector-" + F.vectorBitSize();
    }

    @Override
    public void matmul(float[] x, int n, Matrix w, float[] out) {
        matmul(x, 0, n, w, out, 0);
    }

    @Override
    public void matmul(float[] x, int xOff, int n, Matrix w, float[] out, int outOff) {
        KernelArgs.matmul(x, xOff, n, w, out, outOff);
        VectorMatmul.matmul(x, xOff, n, w, out, outOff);
    }

    @Override
    public void matmulBlocks(float[] x, int[] start, Matrix[] w, float[] out) {
        KernelArgs.matmulBlocks(x, start, w, out);
        VectorMatmul.matmulBlocks(x, start, w, out);
    }

    @Override
    public void matmulBlocksSwiglu(float[] x, int[] start, Matrix[] w, float[] act) {
        KernelArgs.matmulBlocksSwiglu(x, start, w, act);
        if (!VectorMatmul.swigluFusable(start, w)) {
            int rows = start[w.length], inter = w[0].rows() / 2;
            float[] gu = Workspace.ofThread().floats(GATE_UP, rows * 2 * inter);
            matmulBlocks(x, start, w, gu);
            swiglu(gu, rows, inter, act);
            return;
        }
        VectorMatmul.matmulBlocksSwiglu(x, start, w, act);
    }

    @Override
    public void matmulNoTranspose(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff) {
        KernelArgs.matmulNoTranspose(x, xOff, n, b, bOff, k, m, out, outOff);
        VectorMatmul.matmulNoTranspose(x, xOff, n, b, bOff, k, m, out, outOff);
    }

    @Override
    public void matmulNoTransposeLowerResult(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff) {
        KernelArgs.matmulNoTranspose("matmulNoTransposeLowerResult", x, xOff, n, b, bOff, k, m, out, outOff);
        VectorMatmul.matmulNoTransposeLowerResult(x, xOff, n, b, bOff, k, m, out, outOff);
    }

    @Override
    public void matmulNoTransposeLowerLeft(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff) {
        KernelArgs.matmulNoTranspose("matmulNoTransposeLowerLeft", x, xOff, n, b, bOff, k, m, out, outOff);
        VectorMatmul.matmulNoTransposeLowerLeft(x, xOff, n, b, bOff, k, m, out, outOff);
    }

    @Override
    public void prepare(Matrix w) {
        if (w == null) {
            throw new IllegalArgumentException("prepare: weight matrix is null");
        }
        Panels.of(w);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        KernelArgs.range("dot: a", a, aOff, len);
        KernelArgs.range("dot: b", b, bOff, len);
        return VectorMatmul.dot(a, aOff, b, bOff, len);
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        KernelArgs.range("axpy: x", x, xOff, len);
        KernelArgs.range("axpy: y", y, yOff, len);
        int bound = F.loopBound(len);
        FloatVector a = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i < bound; i += L) {
            a.fma(FloatVector.fromArray(F, x, xOff + i), FloatVector.fromArray(F, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    @Override
    public void scale(float[] x, int off, int len, float alpha) {
        KernelArgs.range("scale: x", x, off, len);
        int bound = F.loopBound(len);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, x, off + i).mul(alpha).intoArray(x, off + i);
        }
        for (; i < len; i++) {
            x[off + i] *= alpha;
        }
    }

    @Override
    public float sumOfSquares(float[] x, int off, int len) {
        KernelArgs.range("sumOfSquares: x", x, off, len);
        return VectorMatmul.dot(x, off, x, off, len);
    }

    @Override
    public void multiply(float[] x, int xOff, float[] y, int yOff, int len) {
        KernelArgs.range("multiply: x", x, xOff, len);
        KernelArgs.range("multiply: y", y, yOff, len);
        if (alone(len)) {
            multiplyRange(x, xOff, y, yOff, len);
        } else {
            spread(len, (from, to) -> multiplyRange(x, xOff + from, y, yOff + from, to - from));
        }
    }

    private static void multiplyRange(float[] x, int xOff, float[] y, int yOff, int len) {
        int bound = F.loopBound(len);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, y, yOff + i)
                    .mul(FloatVector.fromArray(F, x, xOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] *= x[xOff + i];
        }
    }

    @Override
    public void expInPlace(float[] x, int off, int len) {
        KernelArgs.range("expInPlace: x", x, off, len);
        if (alone(len)) {
            expInPlaceRange(x, off, len);
        } else {
            spread(len, (from, to) -> expInPlaceRange(x, off + from, to - from));
        }
    }

    private static void expInPlaceRange(float[] x, int off, int len) {
        int i = VectorExp.apply(VectorExp.EXP, x, off, len, 0f, null, 0, x, off);
        for (; i < len; i++) {
            x[off + i] = FastExp.exp(x[off + i]);
        }
    }

    @Override
    public void sigmoid(float[] x, int off, int len) {
        KernelArgs.range("sigmoid: x", x, off, len);
        if (alone(len)) {
            sigmoidRange(x, off, len);
        } else {
            spread(len, (from, to) -> sigmoidRange(x, off + from, to - from));
        }
    }

    private static void sigmoidRange(float[] x, int off, int len) {
        int i = VectorExp.apply(VectorExp.SIGMOID, x, off, len, 0f, null, 0, x, off);
        for (; i < len; i++) {
            x[off + i] = FastExp.sigmoid(x[off + i]);
        }
    }

    @Override
    public void silu(float[] x, int off, int len) {
        KernelArgs.range("silu: x", x, off, len);
        if (alone(len)) {
            siluRange(x, off, len);
        } else {
            spread(len, (from, to) -> siluRange(x, off + from, to - from));
        }
    }

    private static void siluRange(float[] x, int off, int len) {
        int i = VectorExp.apply(VectorExp.SILU, x, off, len, 0f, null, 0, x, off);
        for (; i < len; i++) {
            x[off + i] = FastExp.silu(x[off + i]);
        }
    }

    /**
     * Whether an element-wise pass of len elements stays on this thread ({@link #spread} would run it there too): the
     * callers then run it directly, without the two lambdas a spread call allocates, hundreds of which a token made
     * (the lightning block's rows at one token are 64 passes of one element a head).
     */
    private static boolean alone(int len) {
        return len < PARALLEL_ELEMENTS;
    }

    /**
     * Runs an element-wise pass over [0, len) in ranges of whole vectors on the kernel threads once it is long
     * enough; every element is the same whichever range computes it (vector and scalar tails agree bit for bit).
     */
    private void spread(int len, RowRange pass) {
        int vectors = (len + L - 1) / L;
        forEachRowRange(vectors, L, (v0, v1) -> pass.run(v0 * L, Math.min(len, v1 * L)));
    }

    /** As the interface's, with the rows spread over the kernel threads (SiLU was a tenth of prefill on one core). */
    @Override
    public void swiglu(float[] gu, int n, int width, float[] act) {
        KernelArgs.range("swiglu: gu", gu, 0, 2L * n * width);
        KernelArgs.range("swiglu: act", act, 0, (long) n * width);
        forEachRowRange(n, width, (t0, t1) -> {
            for (int t = t0; t < t1; t++) siluTimes(gu, t * 2 * width, width, act, t * width);
        });
    }

    /** out[o + i] = silu(x[off + i]) * x[off + len + i] in one pass, each as siluRange then multiplyRange give it. */
    private static void siluTimes(float[] x, int off, int len, float[] out, int o) {
        int i = VectorExp.apply(VectorExp.SILU_TIMES, x, off, len, 0f, x, off + len, out, o);
        for (; i < len; i++) {
            out[o + i] = FastExp.silu(x[off + i]) * x[off + len + i];
        }
    }

    @Override
    public float logSumExp(float[] x, int off, int len, float[] scratch) {
        KernelArgs.range("logSumExp: x", x, off, len);
        KernelArgs.range("logSumExp: scratch", scratch, 0, len);
        if (len < 1) {
            throw new IllegalArgumentException("logSumExp: needs at least one element, got len " + len);
        }
        float max = max(x, off, len);
        int i = VectorExp.apply(VectorExp.EXP_SHIFTED, x, off, len, max, null, 0, scratch, 0);
        for (; i < len; i++) {
            scratch[i] = FastExp.exp(x[off + i] - max);
        }
        return max + (float) Math.log(VectorMatmul.sum(scratch, 0, len));
    }

    private static float max(float[] x, int off, int len) {
        int bound = F.loopBound(len);
        // max is exact and order-free, so the vector maximum equals the scalar one
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < bound; i += L) {
            m = m.max(FloatVector.fromArray(F, x, off + i));
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (int i = bound; i < len; i++) {
            max = Math.max(max, x[off + i]);
        }
        return max;
    }

    @Override
    public void softmax(float[] x, int off, int len) {
        KernelArgs.range("softmax: x", x, off, len);
        if (len < 1) {
            throw new IllegalArgumentException("softmax: needs at least one element, got len " + len);
        }
        int bound = F.loopBound(len);
        float max = max(x, off, len);
        VectorExp.apply(VectorExp.EXP_SHIFTED, x, off, len, max, null, 0, x, off);
        for (int i = bound; i < len; i++) {
            x[off + i] = FastExp.exp(x[off + i] - max);
        }
        float sum = VectorMatmul.sum(x, off, len);
        for (int i = 0; i < bound; i += L) {
            FloatVector.fromArray(F, x, off + i).div(sum).intoArray(x, off + i);
        }
        for (int i = bound; i < len; i++) {
            x[off + i] /= sum;
        }
    }
}
