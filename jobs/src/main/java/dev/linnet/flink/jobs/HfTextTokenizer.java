package dev.linnet.flink.jobs;

import dev.linnet.engine.tokenizer.EncodeOptions;
import dev.linnet.engine.tokenizer.Encoding;
import dev.linnet.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;

/** The model's own tokenizer (its tokenizer.json, read by the engine), with spans turned into char offsets. */
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
        int[] charAt = byteToChar(text);
        int n = e.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = charAt[Math.min(e.start(i), charAt.length - 1)];
            // the end is exclusive: the char holding the last byte, plus one
            ends[i] = e.end(i) > e.start(i) ? charAt[e.end(i) - 1] + 1 : starts[i];
            if (ends[i] > text.length()) {
                ends[i] = text.length();
            }
        }
        return new TokenizedText(e.ids(), starts, ends);
    }

    /** For each byte of the text's UTF-8 form, the index of the char it encodes; one extra slot for the end. */
    static int[] byteToChar(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] map = new int[bytes.length + 1];
        int b = 0;
        for (int c = 0; c < text.length(); ) {
            int cp = text.codePointAt(c);
            int chars = Character.charCount(cp);
            int width = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (chars == 1 && Character.isSurrogate(text.charAt(c))) {
                width = 1; // a lone surrogate is written as '?'
            }
            for (int k = 0; k < width && b < bytes.length; k++) {
                map[b++] = c;
            }
            c += chars;
        }
        map[bytes.length] = text.length();
        return map;
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
