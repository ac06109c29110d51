package dev.linnet.engine.config;

import java.util.List;

/**
 * The shape and constants of a MiniMax-01 style hybrid model, as config.json describes it.
 *
 * @param slidingWindow  softmax layers see the last {@code slidingWindow} positions (the current one
 *                       included); 0 when the checkpoint has none (then the caller must bound it)
 * @param rotaryDim      leading dimensions of each head that RoPE rotates (NeoX halves); headDim for full rotation
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
        double mlpBeta) {

    /** The RMSNorm inside each lightning layer uses this eps whatever the config says (as the reference does). */
    public static final double LIGHTNING_NORM_EPS = 1e-6;

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

    /** The exact description that goes into the model fingerprint. */
    public String canonical() {
        return "minimax:v=" + vocabSize + ",h=" + hiddenSize + ",i=" + intermediateSize + ",L=" + numHiddenLayers
                + ",nh=" + numAttentionHeads + ",nkv=" + numKeyValueHeads + ",d=" + headDim + ",types=" + layerTypes
                + ",block=" + blockSize + ",window=" + slidingWindow + ",eps=" + rmsNormEps + ",theta=" + ropeTheta
                + ",rot=" + rotaryDim + ",E=" + numLocalExperts + ",k=" + numExpertsPerTok + ",tied=" + tieWordEmbeddings
                + ",f=" + linearAttnAlpha + "/" + linearAttnBeta + "/" + fullAttnAlpha + "/" + fullAttnBeta + "/"
                + mlpAlpha + "/" + mlpBeta;
    }
}
