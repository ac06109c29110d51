package dev.linnet.engine.layers;

import dev.linnet.engine.kernels.Kernels;

/** Root-mean-square norm with a learned per-channel weight: y = w * x / sqrt(mean(x^2) + eps). */
public final class RmsNorm {
    private final float[] weight;
    private final double eps;

    public RmsNorm(float[] weight, double eps) {
        this.weight = weight;
        this.eps = eps;
    }

    public int width() {
        return weight.length;
    }

    float[] weight() {
        return weight;
    }

    /** Normalises n rows of {@code width()} floats from x into y (x and y may be the same array). */
    public void apply(Kernels k, float[] x, float[] y, int n) {
        int w = weight.length;
        k.forEachRowRange(n, w, (from, to) -> {
            for (int t = from; t < to; t++) {
                int off = t * w;
                double ms = k.sumOfSquares(x, off, w) / (double) w;
                float inv = (float) (1.0 / Math.sqrt(ms + eps));
                for (int i = 0; i < w; i++) {
                    y[off + i] = weight[i] * (x[off + i] * inv);
                }
            }
        });
    }
}
