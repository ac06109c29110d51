package dev.linnet.engine.tokenizer;

/**
 * A tokenizer.json "pre_tokenizer": cuts a stretch of normalized text into pieces that BPE then encodes
 * one at a time (no merge crosses a piece boundary).
 */
interface PreTokenizer {

    /** Receives pieces in text order. */
    interface PieceSink {
        /**
         * The piece text[start, end), preceded by one space that is not in the text when {@code prefixSpace}
         * (ByteLevel's add_prefix_space). Never empty: start < end or prefixSpace.
         */
        void piece(String text, int start, int end, boolean prefixSpace);
    }

    /** Cuts text[start, end) (non-empty) and passes the pieces on in order. */
    void pretokenize(String text, int start, int end, PieceSink out);

    /**
     * Whether a "\n" between two printable ASCII characters always ends a piece, and a text cut just after it
     * gives the same pieces on both sides (then a huge record can be encoded in chunks cut there).
     */
    default boolean cutsAfterNewline() {
        return false;
    }

    /** Whether the pieces are exactly stretches of the text, with nothing added (no prefix space). */
    default boolean addsNothing() {
        return true;
    }
}
