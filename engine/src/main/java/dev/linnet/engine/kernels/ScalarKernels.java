package dev.linnet.engine.kernels;

/**
 * Plain-Java kernels: the fallback when the Vector API is absent, and the yardstick in tests. Sums
 * follow {@link CanonicalSum}, so results match the vector kernels bit for bit.
 */
public final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void matmul(float[] x, int n, Matrix w, float[] out) {
        matmul(x, 0, n, w, out, 0);
    }

    @Override
    public void matmul(float[] x, int xOff, int n, Matrix w, float[] out, int outOff) {
        KernelArgs.matmul(x, xOff, n, w, out, outOff);
        int rows = w.rows();
        int cols = w.cols();
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            w.copyRow(r, row, 0);
            for (int t = 0; t < n; t++) {
                out[outOff + t * rows + r] = CanonicalSum.dot(x, xOff + t * cols, row, 0, cols);
            }
        }
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        KernelArgs.range("dot: a", a, aOff, len);
        KernelArgs.range("dot: b", b, bOff, len);
        return CanonicalSum.dot(a, aOff, b, bOff, len);
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        KernelArgs.range("axpy: x", x, xOff, len);
        KernelArgs.range("axpy: y", y, yOff, len);
        for (int i = 0; i < len; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    @Override
    public void scale(float[] x, int off, int len, float alpha) {
        KernelArgs.range("scale: x", x, off, len);
        for (int i = 0; i < len; i++) {
            x[off + i] *= alpha;
        }
    }

    @Override
    public float sumOfSquares(float[] x, int off, int len) {
        KernelArgs.range("sumOfSquares: x", x, off, len);
        return CanonicalSum.dot(x, off, x, off, len);
    }

    @Override
    public void multiply(float[] x, int xOff, float[] y, int yOff, int len) {
        KernelArgs.range("multiply: x", x, xOff, len);
        KernelArgs.range("multiply: y", y, yOff, len);
        for (int i = 0; i < len; i++) {
            y[yOff + i] *= x[xOff + i];
        }
    }

    @Override
    public void expInPlace(float[] x, int off, int len) {
        KernelArgs.range("expInPlace: x", x, off, len);
        for (int i = off; i < off + len; i++) {
            x[i] = (float) Math.exp(x[i]);
        }
    }

    @Override
    public void sigmoid(float[] x, int off, int len) {
        KernelArgs.range("sigmoid: x", x, off, len);
        for (int i = off; i < off + len; i++) {
            x[i] = 1f / (1f + (float) Math.exp(-x[i]));
        }
    }

    @Override
    public void silu(float[] x, int off, int len) {
        KernelArgs.range("silu: x", x, off, len);
        for (int i = off; i < off + len; i++) {
            x[i] = x[i] / (1f + (float) Math.exp(-x[i]));
        }
    }

    @Override
    public void softmax(float[] x, int off, int len) {
        KernelArgs.range("softmax: x", x, off, len);
        if (len < 1) {
            throw new IllegalArgumentException("softmax: needs at least one element, got len " + len);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            max = Math.max(max, x[i]);
        }
        for (int i = off; i < off + len; i++) {
            x[i] = (float) Math.exp(x[i] - max);
        }
        float sum = CanonicalSum.sum(x, off, len);
        for (int i = off; i < off + len; i++) {
            x[i] /= sum;
        }
    }
}
