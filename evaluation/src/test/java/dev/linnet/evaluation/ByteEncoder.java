package dev.linnet.evaluation;

import java.nio.charset.StandardCharsets;

/** A trivial tokenizer for tests: one token per UTF-8 byte (ids 0..255, within the tiny model's 512). */
final class ByteEncoder implements TextEncoder {
    @Override
    public int[] encode(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xff;
        return out;
    }

    static String decode(int[] tokens, int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = from; i < to; i++) b[i - from] = (byte) tokens[i];
        return new String(b, StandardCharsets.UTF_8);
    }
}
