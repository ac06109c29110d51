package dev.linnet.engine.layers.lightning;

import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Workspace;

/**
 * The block-wise form the model runs: tokens are taken in blocks of B; within a block the output is the
 * intra-block product (q k^T masked with the decay exp(-s(t-j)), times v) plus the inter-block product of the
 * decayed queries with the carried state; then the state is decayed by exp(-s c) and the block's decayed
 * k^T v added. Blocks are cut from the start of each call, so any state and any chunk length work.
 */
public final class LightningBlockwise implements LightningForm {
    private static final Workspace.Slot BLOCK_QUERIES_DECAYED = Workspace.slot("lightning block: decayed queries");
    private static final Workspace.Slot BLOCK_QUERIES = Workspace.slot("lightning block: queries");
    private static final Workspace.Slot BLOCK_KEYS_DECAYED_T =
            Workspace.slot("lightning block: decayed keys transposed");
    private static final Workspace.Slot BLOCK_KEYS_T = Workspace.slot("lightning block: keys transposed");
    private static final Workspace.Slot BLOCK_VALUES = Workspace.slot("lightning block: values");
    private static final Workspace.Slot BLOCK_SCORES = Workspace.slot("lightning block: masked scores");
    private static final Workspace.Slot BLOCK_INTER = Workspace.slot("lightning block: inter-block output");
    private static final Workspace.Slot BLOCK_INTRA = Workspace.slot("lightning block: intra-block output");
    private static final Workspace.Slot BLOCK_STATE_DELTA = Workspace.slot("lightning block: state increment");
    private final Kernels k;
    private final int d;
    private final int block;
    /** pow[h][t] = exp(-slope_h * t) for t in [0, block]: every decay a block needs. */
    private final float[][] pow;
    /** reversed[h][block - t] = pow[h][t]: row t of the decay mask, exp(-s(t - j)) for j = 0 .. t, read forwards. */
    private final float[][] reversed;

    public LightningBlockwise(Kernels kernels, int headDim, int blockSize, double[] slopes) {
        this.k = kernels;
        this.d = headDim;
        this.block = blockSize;
        this.pow = new float[slopes.length][blockSize + 1];
        this.reversed = new float[slopes.length][blockSize + 1];
        for (int h = 0; h < slopes.length; h++) {
            for (int t = 0; t <= blockSize; t++) {
                pow[h][t] = (float) Math.exp(-slopes[h] * t);
                reversed[h][blockSize - t] = pow[h][t];
            }
        }
    }

    public int blockSize() {
        return block;
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
        float[] p = pow[head];
        int b = Math.min(block, n);
        Workspace ws = Workspace.ofThread();
        float[] qd = ws.floats(BLOCK_QUERIES_DECAYED, b * d); // queries, decayed for the inter-block term
        float[] q = ws.floats(BLOCK_QUERIES, b * d); // queries as they are
        float[] kt = ws.floats(BLOCK_KEYS_T, d * b); // keys transposed [d, c]
        float[] kdt = ws.floats(BLOCK_KEYS_DECAYED_T, d * b); // keys decayed to the block's end, transposed
        float[] v = ws.floats(BLOCK_VALUES, b * d); // values [c, d]
        float[] a = ws.floats(BLOCK_SCORES, b * b); // q k^T with the decay mask
        float[] o = ws.floats(BLOCK_INTER, b * d);
        float[] o2 = ws.floats(BLOCK_INTRA, b * d);
        float[] ds = ws.floats(BLOCK_STATE_DELTA, d * d);
        float[] rp = reversed[head];
        for (int b0 = 0; b0 < n; b0 += block) {
            int c = Math.min(block, n - b0);
            for (int t = 0; t < c; t++) {
                int qi = qOff + (b0 + t) * stride, ki = kOff + (b0 + t) * stride;
                System.arraycopy(qkv, qi, q, t * d, d);
                System.arraycopy(qkv, qi, qd, t * d, d);
                k.scale(qd, t * d, d, p[t + 1]);
                for (int i = 0; i < d; i++) kt[i * c + t] = qkv[ki + i];
                System.arraycopy(qkv, vOff + (b0 + t) * stride, v, t * d, d);
            }
            // keys decayed to the block's end: column t times exp(-s(c-1-t)) = rp[block - c + 1 + t]
            System.arraycopy(kt, 0, kdt, 0, d * c);
            for (int i = 0; i < d; i++) k.multiply(rp, block - c + 1, kdt, i * c, c);
            // inter: (q * exp(-s(t+1))) S
            k.matmulNoTranspose(qd, 0, c, state, sOff, d, d, o, 0);
            // intra: (q k^T masked with exp(-s(t-j)) for j <= t) v; only the lower triangle is computed and read
            k.matmulNoTransposeLowerResult(q, 0, c, kt, 0, d, c, a, 0);
            for (int t = 0; t < c; t++) {
                // a[t, j] *= exp(-s(t - j)) for j <= t, on whole vectors; the rest of the row is masked out
                k.multiply(rp, block - t, a, t * c, t + 1);
                java.util.Arrays.fill(a, t * c + t + 1, (t + 1) * c, 0f);
            }
            k.matmulNoTransposeLowerLeft(a, 0, c, v, 0, c, d, o2, 0);
            for (int t = 0; t < c; t++) {
                int dst = oOff + (b0 + t) * oStride;
                for (int i = 0; i < d; i++) out[dst + i] = o[t * d + i] + o2[t * d + i];
            }
            // state: exp(-s c) S + sum_j exp(-s(c-1-j)) k_j^T v_j
            k.matmulNoTranspose(kdt, 0, d, v, 0, c, d, ds, 0);
            float bd = p[c];
            for (int i = 0; i < d * d; i++) state[sOff + i] = state[sOff + i] * bd + ds[i];
        }
    }
}
