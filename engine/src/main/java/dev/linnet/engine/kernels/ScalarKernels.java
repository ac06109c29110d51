package dev.linnet.engine.kernels;

/**
 * Plain-Java kernels: the fallback when the Vector API is absent, and the yardstick in tests. They sum
 * in the same orders as the vector kernels (matmul: sequential over the columns; dot and the other
 * reductions: {@link CanonicalSum}), so results match them bit for bit.
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
        float[] block = new float[4 * cols];
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            for (int k = 0; k < 4; k++) w.copyRow(r + k, block, k * cols);
            for (int t = 0; t < n; t++) {
                // four independent sequential sums, interleaved so that they overlap in the pipeline
                int xo = xOff + t * cols;
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (int c = 0; c < cols; c++) {
                    float xc = x[xo + c];
                    s0 = Math.fma(xc, block[c], s0);
                    s1 = Math.fma(xc, block[cols + c], s1);
                    s2 = Math.fma(xc, block[2 * cols + c], s2);
                    s3 = Math.fma(xc, block[3 * cols + c], s3);
                }
                int o = outOff + t * rows + r;
                out[o] = s0;
                out[o + 1] = s1;
                out[o + 2] = s2;
                out[o + 3] = s3;
            }
        }
        for (; r < rows; r++) {
            w.copyRow(r, block, 0);
            for (int t = 0; t < n; t++) {
                int xo = xOff + t * cols;
                float s = 0f;
                for (int c = 0; c < cols; c++) s = Math.fma(x[xo + c], block[c], s);
                out[outOff + t * rows + r] = s;
            }
        }
    }

    @Override
    public void matmulNoTranspose(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff) {
        KernelArgs.matmulNoTranspose(x, xOff, n, b, bOff, k, m, out, outOff);
        plain(x, xOff, n, b, bOff, k, m, out, outOff, false, false);
    }

    @Override
    public void matmulNoTransposeLowerResult(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff) {
        KernelArgs.matmulNoTranspose("matmulNoTransposeLowerResult", x, xOff, n, b, bOff, k, m, out, outOff);
        plain(x, xOff, n, b, bOff, k, m, out, outOff, true, false);
    }

    @Override
    public void matmulNoTransposeLowerLeft(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff) {
        KernelArgs.matmulNoTranspose("matmulNoTransposeLowerLeft", x, xOff, n, b, bOff, k, m, out, outOff);
        plain(x, xOff, n, b, bOff, k, m, out, outOff, false, true);
    }

    /** Row t's columns up to t only (lowerResult), its sums over i up to t only (lowerLeft). */
    private static void plain(
            float[] x,
            int xOff,
            int n,
            float[] b,
            int bOff,
            int k,
            int m,
            float[] out,
            int outOff,
            boolean lowerResult,
            boolean lowerLeft) {
        for (int t = 0; t < n; t++) {
            int xo = xOff + t * k;
            int o = outOff + t * m;
            int cols = lowerResult ? Math.min(m, t + 1) : m;
            int terms = lowerLeft ? Math.min(k, t + 1) : k;
            int j = 0;
            for (; j + 4 <= cols; j += 4) {
                // four independent sequential sums, interleaved so that they overlap in the pipeline
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (int i = 0; i < terms; i++) {
                    float xi = x[xo + i];
                    int bi = bOff + i * m + j;
                    s0 = Math.fma(xi, b[bi], s0);
                    s1 = Math.fma(xi, b[bi + 1], s1);
                    s2 = Math.fma(xi, b[bi + 2], s2);
                    s3 = Math.fma(xi, b[bi + 3], s3);
                }
                out[o + j] = s0;
                out[o + j + 1] = s1;
                out[o + j + 2] = s2;
                out[o + j + 3] = s3;
            }
            for (; j < cols; j++) {
                float s = 0f;
                for (int i = 0; i < terms; i++) s = Math.fma(x[xo + i], b[bOff + i * m + j], s);
                out[o + j] = s;
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
            x[i] = FastExp.exp(x[i]);
        }
    }

    @Override
    public void sigmoid(float[] x, int off, int len) {
        KernelArgs.range("sigmoid: x", x, off, len);
        for (int i = off; i < off + len; i++) {
            x[i] = FastExp.sigmoid(x[i]);
        }
    }

    @Override
    public void silu(float[] x, int off, int len) {
        KernelArgs.range("silu: x", x, off, len);
        for (int i = off; i < off + len; i++) {
            x[i] = FastExp.silu(x[i]);
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
            x[i] = FastExp.exp(x[i] - max);
        }
        float sum = CanonicalSum.sum(x, off, len);
        for (int i = off; i < off + len; i++) {
            x[i] /= sum;
        }
    }

    @Override
    public float logSumExp(float[] x, int off, int len, float[] scratch) {
        KernelArgs.range("logSumExp: x", x, off, len);
        KernelArgs.range("logSumExp: scratch", scratch, 0, len);
        if (len < 1) {
            throw new IllegalArgumentException("logSumExp: needs at least one element, got len " + len);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            max = Math.max(max, x[i]);
        }
        for (int i = 0; i < len; i++) {
            scratch[i] = FastExp.exp(x[off + i] - max);
        }
        return max + (float) Math.log(CanonicalSum.sum(scratch, 0, len));
    }
}
