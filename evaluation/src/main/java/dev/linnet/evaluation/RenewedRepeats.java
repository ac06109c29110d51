package dev.linnet.evaluation;

import dev.linnet.engine.tokenizer.EncodeOptions;
import dev.linnet.engine.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

/**
 * An unbounded log stream made from a finite log: the file again and again, every run of ASCII digits
 * (timestamps, ids, counters, addresses) replaced by random digits of the same length in every copy. The
 * text keeps its templates and layout, so a model that learns the stream should get no worse as it goes,
 * while no copy repeats an earlier one exactly, so a model cannot coast on copying the values either.
 * Production streams never end; this checks that the model's figures stay flat (and finite) on one
 * far longer than anything it was trained on.
 */
public final class RenewedRepeats {
    private RenewedRepeats() {}

    /** The stream's tokens and the number of copies of the text it holds. */
    public record Stream(StreamCompression.TokenizedBytes tokens, int copies) {}

    /**
     * A stream of at least {@code minTokens} tokens: whole copies of {@code text}, each with fresh digits
     * (the first copy too, so that every part of the stream is alike), tokenized as one record.
     */
    public static Stream build(Tokenizer tokenizer, byte[] text, long minTokens, long seed) {
        if (text.length == 0) throw new IllegalArgumentException("cannot repeat an empty text");
        if (minTokens <= 0) throw new IllegalArgumentException("the stream needs at least one token, got " + minTokens);
        SplittableRandom rnd = new SplittableRandom(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        byte[] first = renewDigits(text, rnd);
        stream.writeBytes(first);
        int n = 1;
        int perCopy =
                Math.max(1, tokenizer.encodeUtf8(first, EncodeOptions.DEFAULT).size());
        // enough copies by the first copy's count, then more if the fresh digits happened to tokenize shorter
        long wanted = (minTokens + perCopy - 1) / perCopy;
        StreamCompression.TokenizedBytes tokens;
        while (true) {
            for (; n < wanted; n++) stream.writeBytes(renewDigits(text, rnd));
            tokens = StreamCompression.tokenize(tokenizer, stream.toByteArray());
            if (tokens.tokens() >= minTokens) break;
            wanted = n + 1;
        }
        return new Stream(tokens, n);
    }

    /** A copy of {@code text} with each ASCII digit replaced by a random one; every other byte is kept. */
    public static byte[] renewDigits(byte[] text, SplittableRandom rnd) {
        byte[] out = text.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= '0' && out[i] <= '9') out[i] = (byte) ('0' + rnd.nextInt(10));
        }
        return out;
    }
}
