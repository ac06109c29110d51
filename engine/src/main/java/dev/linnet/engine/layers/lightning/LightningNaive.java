package dev.linnet.engine.layers.lightning;

/**
 * The definition, computed directly in double: o_t = exp(-s(t+1)) q_t S_0 + sum_{j<=t} exp(-s(t-j)) (q_t . k_j) v_j
 * and S_n = exp(-s n) S_0 + sum_j exp(-s(n-1-j)) k_j^T v_j. Quadratic in n: for tests, not for serving.
 */
public final class LightningNaive implements LightningForm {
    private final int d;
    private final double[] slopes;

    public LightningNaive(int headDim, double[] slopes) {
        this.d = headDim;
        this.slopes = slopes.clone();
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
        double s = slopes[head];
        double[] s0 = new double[d * d];
        for (int i = 0; i < d * d; i++) s0[i] = state[sOff + i];
        for (int t = 0; t < n; t++) {
            int q = qOff + t * stride;
            double[] o = new double[d];
            double inter = Math.exp(-s * (t + 1));
            for (int i = 0; i < d; i++) {
                double qi = qkv[q + i] * inter;
                for (int j = 0; j < d; j++) o[j] += qi * s0[i * d + j];
            }
            for (int u = 0; u <= t; u++) {
                int kk = kOff + u * stride, v = vOff + u * stride;
                double a = 0;
                for (int i = 0; i < d; i++) a += (double) qkv[q + i] * qkv[kk + i];
                a *= Math.exp(-s * (t - u));
                for (int j = 0; j < d; j++) o[j] += a * qkv[v + j];
            }
            for (int j = 0; j < d; j++) out[oOff + t * oStride + j] = (float) o[j];
        }
        double decayAll = Math.exp(-s * n);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double acc = decayAll * s0[i * d + j];
                for (int u = 0; u < n; u++) {
                    acc += Math.exp(-s * (n - 1 - u)) * qkv[kOff + u * stride + i] * qkv[vOff + u * stride + j];
                }
                state[sOff + i * d + j] = (float) acc;
            }
        }
    }
}
