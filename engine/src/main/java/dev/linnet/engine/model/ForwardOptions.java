package dev.linnet.engine.model;

/**
 * What a forward call returns beyond the surprisal and the embedding, which it always gives.
 *
 * @param wantLogits       also return every position's next-token logits [n, vocab] (big: vocab floats a token);
 *                         for a model with a history predictor, the log of the mixture's probabilities
 * @param networkSurprisal report the network's own surprisal and logits even when the model mixes a history
 *                         predictor in (the history still observes every token, so the state is the same)
 */
public record ForwardOptions(boolean wantLogits, boolean networkSurprisal) {
    public static final ForwardOptions DEFAULT = new ForwardOptions(false, false);
    public static final ForwardOptions WITH_LOGITS = new ForwardOptions(true, false);
    /** The network alone, as a reference implementation of the network computes it. */
    public static final ForwardOptions NETWORK = new ForwardOptions(false, true);

    public ForwardOptions withLogits() {
        return new ForwardOptions(true, networkSurprisal);
    }
}
