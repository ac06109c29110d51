package dev.linnet.flink.sql;

import dev.linnet.engine.tokenizer.EncodeOptions;
import dev.linnet.engine.tokenizer.Encoding;
import dev.linnet.engine.tokenizer.Tokenizer;

/**
 * Text to token ids with the engine's tokenizer (a Hugging Face tokenizer.json), keeping each token's span in
 * chars, as the engine gives it (a lone surrogate is tokenized as U+FFFD). Not thread-safe: one per function
 * instance.
 */
final class SpanTokenizer {

    private static final EncodeOptions WITH_OFFSETS = EncodeOptions.DEFAULT.offsetsReported(true);

    private final Tokenizer tokenizer;

    SpanTokenizer(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Highest token id plus one that this tokenizer can produce. */
    int idBound() {
        return tokenizer.idBound();
    }

    TextTokens encode(String text) {
        Encoding e = tokenizer.encodeText(text, WITH_OFFSETS);
        return new TextTokens(text, e.ids(), e.charStarts(), e.charEnds());
    }
}
