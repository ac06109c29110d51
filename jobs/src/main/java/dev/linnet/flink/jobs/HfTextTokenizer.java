package dev.linnet.flink.jobs;

import dev.linnet.engine.tokenizer.EncodeOptions;
import dev.linnet.engine.tokenizer.Encoding;
import dev.linnet.engine.tokenizer.Tokenizer;

/** The model's own tokenizer (its tokenizer.json, read by the engine), with the engine's char offsets of each token. */
public final class HfTextTokenizer implements TextTokenizer {

    private static final EncodeOptions WITH_OFFSETS = EncodeOptions.DEFAULT.offsetsReported(true);

    private final Tokenizer tokenizer;
    private final String source;

    public HfTextTokenizer(Tokenizer tokenizer, String source) {
        this.tokenizer = tokenizer;
        this.source = source;
    }

    @Override
    public TokenizedText encode(String text) {
        Encoding e = tokenizer.encodeText(text, WITH_OFFSETS);
        return new TokenizedText(e.ids(), e.charStarts(), e.charEnds());
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.decode(ids, true);
    }

    @Override
    public String describe() {
        return "tokenizer.json of " + source + " (" + tokenizer.vocabularySize() + " tokens)";
    }
}
