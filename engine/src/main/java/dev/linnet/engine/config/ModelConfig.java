package dev.linnet.engine.config;

import dev.linnet.engine.history.HistoryConfig;
import java.util.List;

/**
 * The shape and constants of a MiniMax-01 style hybrid model, as config.json describes it.
 *
 * @param slidingWindow  softmax layers see the last {@code slidingWindow} positions (the current one
 *                       included); 0 when the checkpoint has none (then the caller must bound it)
 * @param rotaryDim      leading dimensions of each head that RoPE rotates (NeoX halves); headDim for full rotation
 * @param history        the stream's history predictor mixed with the network ({@code "linnet_history"}), or
 *                       null for the network alone
 */
public record ModelConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        List<LayerType> layerTypes,
        int blockSize,
        int slidingWindow,
        double rmsNormEps,
        double ropeTheta,
        int rotaryDim,
        int numLocalExperts,
        int numExpertsPerTok,
        boolean tieWordEmbeddings,
        double linearAttnAlpha,
        double linearAttnBeta,
        double fullAttnAlpha,
        double fullAttnBeta,
        double mlpAlpha,
        double mlpBeta,
        HistoryConfig history) {

    /** The RMSNorm inside each lightning layer uses this eps whatever the config says (as the reference does). */
    public static final double LIGHTNING_NORM_EPS = 1e-6;

    /**
     * The most bytes one stream's state may take in memory (float32; {@link #stateBytes}), checked at load: 1 GiB.
     * Every stream of a job holds one, and a checkpoint writes it whole, so a config past this is refused rather
     * than failing later, when the first stream starts. MiniMax-Text-01's own shape with a 4096-token window
     * takes about 0.6 GiB.
     */
    public static final long MAX_STATE_BYTES = 1L << 30;

    public ModelConfig {
        layerTypes = List.copyOf(layerTypes);
    }

    public LayerType layerType(int layer) {
        return layerTypes.get(layer);
    }

    public int countLayers(LayerType type) {
        int n = 0;
        for (LayerType t : layerTypes) if (t == type) n++;
        return n;
    }

    /** Width of all query heads together. */
    public int attentionWidth() {
        return numAttentionHeads * headDim;
    }

    /** Width of all key (or value) heads of a softmax layer together. */
    public int kvWidth() {
        return numKeyValueHeads * headDim;
    }

    /**
     * Bytes of one stream's state in memory with the softmax layers' ring of {@code window} positions, as
     * {@code StreamState.memoryBytes()} counts them: per lightning layer heads x head_dim^2 floats, per softmax
     * layer 2 x window x kv width floats, the last hidden state, the token count, and the history if there is
     * one. Computed without overflow
     * (Long.MAX_VALUE when it would not fit a long).
     */
    public long stateBytes(int window) {
        try {
            long linear = Math.multiplyExact(
                    (long) countLayers(LayerType.LINEAR),
                    Math.multiplyExact((long) numAttentionHeads, (long) headDim * headDim));
            long rings = Math.multiplyExact(
                    2L * countLayers(LayerType.SOFTMAX), Math.multiplyExact((long) window, kvWidthLong()));
            long floats = Math.addExact(Math.addExact(linear, rings), hiddenSize);
            long bytes = Math.addExact(Math.multiplyExact(floats, 4L), 8L);
            return history == null ? bytes : Math.addExact(bytes, history.stateBytes());
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private long kvWidthLong() {
        return (long) numKeyValueHeads * headDim;
    }

    /** The exact description that goes into the model fingerprint. */
    public String canonical() {
        return "minimax:v=" + vocabSize + ",h=" + hiddenSize + ",i=" + intermediateSize + ",L=" + numHiddenLayers
                + ",nh=" + numAttentionHeads + ",nkv=" + numKeyValueHeads + ",d=" + headDim + ",types=" + layerTypes
                + ",block=" + blockSize + ",window=" + slidingWindow + ",eps=" + rmsNormEps + ",theta=" + ropeTheta
                + ",rot=" + rotaryDim + ",E=" + numLocalExperts + ",k=" + numExpertsPerTok + ",tied="
                + tieWordEmbeddings
                + ",f=" + linearAttnAlpha + "/" + linearAttnBeta + "/" + fullAttnAlpha + "/" + fullAttnBeta + "/"
                + mlpAlpha + "/" + mlpBeta
                + (history == null ? "" : "," + history.canonical());
    }
}
