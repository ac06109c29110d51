package dev.linnet.engine.model;

/**
 * What a forward call returns beyond the surprisal and the embedding, which it always gives.
 *
 * @param wantLogits also return every position's next-token logits [n, vocab] (big: vocab floats a token)
 */
public record ForwardOptions(boolean wantLogits) {
    public static final ForwardOptions DEFAULT = new ForwardOptions(false);
    public static final ForwardOptions WITH_LOGITS = new ForwardOptions(true);
}
