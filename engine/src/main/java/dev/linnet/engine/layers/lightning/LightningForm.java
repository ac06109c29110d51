package dev.linnet.engine.layers.lightning;

/**
 * One way of computing lightning attention for one head over n tokens, starting from any state.
 *
 * <p>The math (flash-linear-attention's "simple GLA" with a constant decay): with lambda = exp(-slope),
 * S_t = lambda * S_{t-1} + k_t^T v_t and o_t = q_t S_t, where S is [d, d] (S[i][j] sums k_i v_j).
 * No 1/sqrt(d) scale, no normalisation: the layer around it does that.
 *
 * <p>Three forms compute the same thing and are held against each other in tests:
 * {@link LightningNaive} (quadratic, masked decay), {@link LightningRecurrent} (token by token) and
 * {@link LightningBlockwise} (intra-block product with the decay mask plus inter-block product with the
 * carried state), the one the model runs.
 *
 * <p>Implementations keep no mutable fields: {@code LightningAttention} calls {@link #attend} for different heads
 * and streams at once, from several threads.
 */
public interface LightningForm {

    /**
     * @param head   which head (selects its decay)
     * @param qkv    rows of queries, keys and values; token t's query starts at qOff + t * stride, its key at
     *               kOff + t * stride, its value at vOff + t * stride, each d floats
     * @param n      tokens in this call
     * @param state  the head's [d, d] state at sOff, read and advanced in place
     * @param out    token t's output goes to oOff + t * oStride (d floats, overwritten)
     */
    void attend(
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
            int oStride);

    /**
     * The per-head slopes of a lightning layer, as the reference computes them: the ALiBi-style base
     * 2^(-8/heads) raised to (head+1), scaled down linearly with the layer's depth.
     */
    static double[] slopes(int heads, int layerIndex, int numLayers) {
        double base = 1.0 / Math.pow(2.0, 8.0 / heads);
        double factor = 1.0 - layerIndex / (numLayers - 1 + 1e-5) + 1e-5;
        double[] s = new double[heads];
        for (int h = 0; h < heads; h++) {
            s[h] = Math.pow(base, h + 1) * factor;
        }
        return s;
    }
}
