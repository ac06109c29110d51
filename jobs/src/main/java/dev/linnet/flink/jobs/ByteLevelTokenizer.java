package dev.linnet.flink.jobs;

import java.nio.charset.StandardCharsets;

/**
 * One token per UTF-8 byte, id = the byte's value (0..255): the tokenizer of the stand-in model used when no
 * trained model with a tokenizer.json is available. Needs a vocabulary of at least 256.
 */
public final class ByteLevelTokenizer implements TextTokenizer {

    private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    @Override
    public TokenizedText encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        int[] starts = new int[bytes.length];
        int[] ends = new int[bytes.length];
        int b = 0;
        for (int c = 0; c < text.length(); ) {
            int cp = text.codePointAt(c);
            int chars = Character.charCount(cp);
            int width = utf8Width(cp, c, text);
            for (int k = 0; k < width; k++, b++) {
                ids[b] = bytes[b] & 0xFF;
                starts[b] = c;
                ends[b] = c + chars;
            }
            c += chars;
        }
        if (b != bytes.length) {
            throw new IllegalStateException("byte count mismatch while tokenizing (" + b + " vs " + bytes.length + ")");
        }
        return new TokenizedText(ids, starts, ends);
    }

    /** Bytes String.getBytes(UTF_8) writes for this code point (a lone surrogate becomes '?', one byte). */
    private static int utf8Width(int cp, int at, String text) {
        if (cp < 0x80) {
            return 1;
        }
        if (cp < 0x800) {
            return 2;
        }
        if (cp >= 0x10000) {
            return 4;
        }
        return Character.isSurrogate(text.charAt(at)) ? 1 : 3;
    }

    /** Ids above 255 (a model's vocabulary may be larger than the byte range) come out as U+FFFD. */
    @Override
    public String decode(int[] ids) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id >= 0 && id <= 255) {
                bytes.write(id);
            } else {
                bytes.writeBytes(REPLACEMENT);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String describe() {
        return "byte-level (one token per UTF-8 byte)";
    }
}
