/**
 * The stream's own history as a predictor, beside the network: what a source has logged before is the best
 * guide to what it logs next, and the network alone sees only its window and a decaying summary.
 *
 * <p>{@link dev.linnet.engine.history.HistoryMixture} mixes, for every token, the network's probability with
 * context counts of orders 1 to 8 ({@link dev.linnet.engine.history.ContextCounts}, hashed tables of fixed
 * size) and a match model ({@link dev.linnet.engine.history.MatchModel}, which follows the last place the
 * current context occurred). The mixing weights are learned online, per stream. Every part is a normalised
 * distribution over the vocabulary, so the mixture is one too, and its surprisal is an honest code length.
 * All of it lives in {@link dev.linnet.engine.history.HistoryState}, of a size fixed by
 * {@link dev.linnet.engine.history.HistoryConfig}; the arithmetic is integer or {@link java.lang.StrictMath}
 * doubles, in token order, so results are bit-identical however a stream is cut into chunks and on any JVM.
 */
package dev.linnet.engine.history;
