package dev.linnet.engine.tokenizer;

/**
 * How to encode.
 *
 * @param recognizeSpecialTokens match special added tokens such as {@code <|endoftext|>} in the text. Off by
 *                               default: text from a log must not be able to inject control tokens; the
 *                               string is then tokenized like any other text (HF's encode_special_tokens=True).
 * @param addTemplateTokens      add what the post-processor's template puts around a sequence (a
 *                               beginning-of-text token, say): HF's add_special_tokens=True
 * @param withOffsets            also report each token's byte span in the record
 */
public record EncodeOptions(boolean recognizeSpecialTokens, boolean addTemplateTokens, boolean withOffsets) {
    /** Special tokens as plain text, no template tokens, no offsets. */
    public static final EncodeOptions DEFAULT = new EncodeOptions(false, false, false);

    public EncodeOptions specialTokensRecognized(boolean on) {
        return new EncodeOptions(on, addTemplateTokens, withOffsets);
    }

    public EncodeOptions templateTokensAdded(boolean on) {
        return new EncodeOptions(recognizeSpecialTokens, on, withOffsets);
    }

    public EncodeOptions offsetsReported(boolean on) {
        return new EncodeOptions(recognizeSpecialTokens, addTemplateTokens, on);
    }
}
