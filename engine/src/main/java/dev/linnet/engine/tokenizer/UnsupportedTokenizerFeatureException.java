package dev.linnet.engine.tokenizer;

/**
 * A tokenizer.json asks for something this tokenizer does not implement (a WordPiece model, a Metaspace
 * pre-tokenizer, BPE dropout...). Thrown at load time, so that no text is ever tokenized differently from
 * HuggingFace {@code tokenizers} without the caller knowing. The message names the feature.
 */
public final class UnsupportedTokenizerFeatureException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnsupportedTokenizerFeatureException(String message) {
        super(message);
    }
}
