package dev.linnet.flink.jobs;

import dev.linnet.engine.tokenizer.Utf8Form;
import java.nio.charset.StandardCharsets;

/**
 * One token per UTF-8 byte, id = the byte's value (0..255): the tokenizer of the stand-in model used when no
 * trained model with a tokenizer.json is available. Needs a vocabulary of at least 256.
 */
public final class ByteLevelTokenizer implements TextTokenizer {

    private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    /** A lone surrogate is U+FFFD's three bytes, as the model's own tokenizer reads it (see {@link Utf8Form}). */
    @Override
    public TokenizedText encode(String text) {
        Utf8Form form = Utf8Form.of(text);
        byte[] bytes = form.bytes();
        int[] ids = new int[bytes.length];
        int[] starts = new int[bytes.length];
        int[] ends = new int[bytes.length];
        for (int b = 0; b < bytes.length; b++) {
            ids[b] = bytes[b] & 0xFF;
            starts[b] = form.charStart(b);
            ends[b] = form.charEnd(b, b + 1);
        }
        return new TokenizedText(ids, starts, ends);
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
