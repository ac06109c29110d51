package dev.linnet.engine.layers.lightning;

import dev.linnet.engine.kernels.Kernels;

import java.util.Arrays;

/**
 * The block-wise form the model runs: tokens are taken in blocks of B; within a block the output is the
 * intra-block product (q k^T masked with the decay exp(-s(t-j)), times v) plus the inter-block product of the
 * decayed queries with the carried state; then the state is decayed by exp(-s c) and the block's decayed
 * k^T v added. Blocks are cut from the start of each call, so any state and any chunk length work.
 */
public final class LightningBlockwise implements LightningForm {
    private final Kernels k;
    private final int d;
    private final int block;
    /** pow[h][t] = exp(-slope_h * t) for t in [0, block]: every decay a block needs. */
    private final float[][] pow;

    public LightningBlockwise(Kernels kernels, int headDim, int blockSize, double[] slopes) {
        this.k = kernels;
        this.d = headDim;
        this.block = blockSize;
        this.pow = new float[slopes.length][blockSize + 1];
        for (int h = 0; h < slopes.length; h++) {
            for (int t = 0; t <= blockSize; t++) pow[h][t] = (float) Math.exp(-slopes[h] * t);
        }
    }

    public int blockSize() {
        return block;
    }

    @Override
    public void attend(int head, float[] qkv, int qOff, int kOff, int vOff, int stride, int n,
                       float[] state, int sOff, float[] out, int oOff, int oStride) {
        float[] p = pow[head];
        for (int b0 = 0; b0 < n; b0 += block) {
            int c = Math.min(block, n - b0);
            for (int t = 0; t < c; t++) {
                int q = qOff + (b0 + t) * stride;
                int o = oOff + (b0 + t) * oStride;
                Arrays.fill(out, o, o + d, 0f);
                // inter: (q * exp(-s(t+1))) S
                float qd = p[t + 1];
                for (int i = 0; i < d; i++) {
                    k.axpy(qkv[q + i] * qd, state, sOff + i * d, out, o, d);
                }
                // intra: sum_{j<=t} exp(-s(t-j)) (q . k_j) v_j
                for (int j = 0; j <= t; j++) {
                    float a = k.dot(qkv, q, qkv, kOff + (b0 + j) * stride, d) * p[t - j];
                    k.axpy(a, qkv, vOff + (b0 + j) * stride, out, o, d);
                }
            }
            // state: exp(-s c) S + sum_j exp(-s(c-1-j)) k_j^T v_j
            float bd = p[c];
            for (int i = 0; i < d; i++) {
                int row = sOff + i * d;
                k.scale(state, row, d, bd);
                for (int j = 0; j < c; j++) {
                    float kij = qkv[kOff + (b0 + j) * stride + i] * p[c - 1 - j];
                    k.axpy(kij, qkv, vOff + (b0 + j) * stride, state, row, d);
                }
            }
        }
    }
}
