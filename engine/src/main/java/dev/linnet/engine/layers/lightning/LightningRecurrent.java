package dev.linnet.engine.layers.lightning;

import dev.linnet.engine.kernels.Kernels;

/** Token-by-token form: decay the state, add k^T v, read it with q. O(n d^2), no intra-block terms. */
public final class LightningRecurrent implements LightningForm {
    private final Kernels k;
    private final int d;
    private final float[] lambda;

    public LightningRecurrent(Kernels kernels, int headDim, double[] slopes) {
        this.k = kernels;
        this.d = headDim;
        this.lambda = new float[slopes.length];
        for (int h = 0; h < slopes.length; h++) lambda[h] = (float) Math.exp(-slopes[h]);
    }

    @Override
    public void attend(
            int head,
            float[] qkv,
            int qOff,
            int kOff,
            int vOff,
            int stride,
            int n,
            float[] state,
            int sOff,
            float[] out,
            int oOff,
            int oStride) {
        float lam = lambda[head];
        for (int t = 0; t < n; t++) {
            int q = qOff + t * stride, kk = kOff + t * stride, v = vOff + t * stride, o = oOff + t * oStride;
            for (int i = 0; i < d; i++) {
                int row = sOff + i * d;
                k.scale(state, row, d, lam);
                k.axpy(qkv[kk + i], qkv, v, state, row, d);
            }
            java.util.Arrays.fill(out, o, o + d, 0f);
            for (int i = 0; i < d; i++) {
                k.axpy(qkv[q + i], state, sOff + i * d, out, o, d);
            }
        }
    }
}
