package dev.linnet.flink.sql;

import dev.linnet.engine.tokenizer.EncodeOptions;
import dev.linnet.engine.tokenizer.Encoding;
import dev.linnet.engine.tokenizer.Tokenizer;

/**
 * Text to token ids with the engine's tokenizer (a Hugging Face tokenizer.json), keeping each token's span.
 * The text is written as UTF-8 here, a lone surrogate as U+FFFD (as the tokenizer itself would), so the
 * tokenizer's byte offsets map back to the text's chars exactly. Not thread-safe: one per function instance.
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
        int[] charOfByte = new int[utf8Length(text) + 1];
        byte[] utf8 = new byte[charOfByte.length - 1];
        int b = 0;
        for (int c = 0; c < text.length(); ) {
            int cp = text.codePointAt(c);
            int chars = Character.charCount(cp);
            if (Character.isSurrogate((char) cp) && chars == 1) {
                cp = 0xFFFD;
            }
            int start = b;
            b = put(utf8, b, cp);
            for (int k = start; k < b; k++) {
                charOfByte[k] = c;
            }
            c += chars;
        }
        charOfByte[utf8.length] = text.length();
        Encoding e = tokenizer.encodeUtf8(utf8, WITH_OFFSETS);
        int n = e.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = e.start(i);
            ends[i] = e.end(i);
        }
        return new TextTokens(text, e.ids(), starts, ends, charOfByte);
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int c = 0; c < text.length(); ) {
            int cp = text.codePointAt(c);
            int chars = Character.charCount(cp);
            if (Character.isSurrogate((char) cp) && chars == 1) {
                cp = 0xFFFD;
            }
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            c += chars;
        }
        return bytes;
    }

    private static int put(byte[] out, int at, int cp) {
        if (cp < 0x80) {
            out[at++] = (byte) cp;
        } else if (cp < 0x800) {
            out[at++] = (byte) (0xC0 | cp >> 6);
            out[at++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            out[at++] = (byte) (0xE0 | cp >> 12);
            out[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[at++] = (byte) (0x80 | cp & 0x3F);
        } else {
            out[at++] = (byte) (0xF0 | cp >> 18);
            out[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
            out[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[at++] = (byte) (0x80 | cp & 0x3F);
        }
        return at;
    }
}
