package dev.linnet.engine.tokenizer;

/**
 * Receives the tokens of one record in order, as they are produced, so a huge record needs no array of
 * all its ids.
 */
@FunctionalInterface
public interface TokenSink {
    /**
     * One token: its id and its byte span [start, end) in the record, or -1, -1 if offsets were not asked
     * for (see {@link Encoding} for what the span covers).
     */
    void token(int id, int start, int end);
}
