package dev.linnet.engine.kernels;

/** Plain-Java kernels: the fallback when the Vector API is absent, and the yardstick in tests. */
public final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void matmul(float[] x, int n, Matrix w, float[] out) {
        int rows = w.rows();
        int cols = w.cols();
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            w.copyRow(r, row, 0);
            for (int t = 0; t < n; t++) {
                out[t * rows + r] = dot(x, t * cols, row, 0, cols);
            }
        }
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(float[] x, int off, int len, float alpha) {
        for (int i = 0; i < len; i++) {
            x[off + i] *= alpha;
        }
    }

    @Override
    public float sumOfSquares(float[] x, int off, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) {
            s += x[off + i] * x[off + i];
        }
        return s;
    }
}
