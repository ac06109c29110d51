package dev.linnet.engine.model;

/**
 * What one chunk of a stream gives.
 *
 * @param surprisal  per token, -ln p(token | everything before it in the stream), in nats; NaN for the very
 *                   first token of a stream (nothing predicts it)
 * @param embedding  the final normalised hidden state after the chunk's last token (the stream's embedding)
 * @param logits     next-token logits after each token of the chunk [n * vocab], or null when not asked for
 */
public record ChunkResult(int tokens, float[] surprisal, float[] embedding, float[] logits) {}
