package dev.linnet.evaluation;

import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.tokenizer.EncodeOptions;
import dev.linnet.engine.tokenizer.Encoding;
import dev.linnet.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.function.LongConsumer;

/**
 * A model is a compressor: fed a file as one stream, the sum of its tokens' surprisal is the length of the
 * code an arithmetic coder driven by the model would write, so sum / ln 2 / bytes is the model's bits per
 * byte, directly comparable with gzip, zstd or xz on the same bytes (see {@link Compressors}).
 *
 * <p>The stream begins with the tokenizer's {@value #BEGIN_TOKEN}: the model gives no prediction for a
 * stream's very first token, so that token is the begin token and every token of the file gets one.
 */
public final class StreamCompression {
    /** The token that begins every stream (as in training, where it separates documents). */
    public static final String BEGIN_TOKEN = "<|endoftext|>";

    private StreamCompression() {}

    /**
     * A byte stream as tokens.
     *
     * @param ids          the token ids
     * @param starts       each token's first byte in the stream
     * @param bytes        the stream's length in bytes (of the original bytes, before any repair)
     * @param replacements invalid UTF-8 sequences that the tokenizer replaced by U+FFFD (0 for clean text)
     */
    public record TokenizedBytes(int[] ids, int[] starts, long bytes, int replacements) {
        public TokenizedBytes {
            if (ids.length != starts.length)
                throw new IllegalArgumentException(ids.length + " ids but " + starts.length + " offsets");
        }

        public int tokens() {
            return ids.length;
        }
    }

    /**
     * One stream's figures.
     *
     * @param source the file's system (or name)
     * @param bits   the model's bits over the whole stream and its parts
     */
    public record Result(String source, int tokens, SegmentBits bits) {
        public long bytes() {
            return bits.bytes();
        }
    }

    /** The begin-of-stream token's id; a clear error when the tokenizer has none. */
    public static int beginToken(Tokenizer tokenizer) {
        OptionalInt id = tokenizer.tokenId(BEGIN_TOKEN);
        if (id.isEmpty()) {
            throw new IllegalArgumentException("the tokenizer has no " + BEGIN_TOKEN + " token to begin a stream with");
        }
        return id.getAsInt();
    }

    /**
     * The bytes as one record of tokens, with offsets. Bytes that are not valid UTF-8 are decoded leniently
     * (each bad sequence becomes U+FFFD), but the offsets and the length stay those of the original bytes.
     */
    public static TokenizedBytes tokenize(Tokenizer tokenizer, byte[] bytes) {
        Encoding e = tokenizer.encodeUtf8(bytes, EncodeOptions.DEFAULT.offsetsReported(true));
        int[] starts = new int[e.size()];
        for (int i = 0; i < starts.length; i++) starts[i] = e.start(i);
        return new TokenizedBytes(e.ids(), starts, bytes.length, e.replacements());
    }

    /**
     * Each token's surprisal (nats) when the tokens are fed as one fresh stream after {@code beginToken},
     * {@code chunk} tokens per forward pass.
     *
     * @param progress told the number of tokens done after each pass (may be null)
     */
    public static float[] surprisal(Model model, int beginToken, int[] ids, int chunk, LongConsumer progress) {
        if (chunk <= 0) throw new IllegalArgumentException("chunk must be positive, got " + chunk);
        int vocab = model.config().vocabSize();
        if (beginToken < 0 || beginToken >= vocab) {
            throw new IllegalArgumentException(
                    "begin token " + beginToken + " is outside the model's vocabulary of " + vocab);
        }
        float[] out = new float[ids.length];
        StreamState state = model.newState();
        // the first pass carries the begin token: its own surprisal (NaN, nothing predicts it) is dropped
        int done = 0;
        boolean first = true;
        while (done < ids.length) {
            int take = Math.min(first ? chunk - 1 : chunk, ids.length - done);
            int[] piece;
            if (first) {
                piece = new int[take + 1];
                piece[0] = beginToken;
                System.arraycopy(ids, done, piece, 1, take);
            } else {
                piece = Arrays.copyOfRange(ids, done, done + take);
            }
            float[] s = model.forward(state, piece, ForwardOptions.DEFAULT).surprisal();
            System.arraycopy(s, first ? 1 : 0, out, done, take);
            done += take;
            first = false;
            if (progress != null) progress.accept(done);
        }
        return out;
    }

    /** Feeds the stream through the model and tallies its bits over {@code parts} equal parts of its bytes. */
    public static Result measure(
            String source,
            Model model,
            int beginToken,
            TokenizedBytes stream,
            int chunk,
            int parts,
            LongConsumer progress) {
        float[] s = surprisal(model, beginToken, stream.ids(), chunk, progress);
        return new Result(source, stream.tokens(), tally(stream, s, parts));
    }

    /** The bits of each token counted in the part of the stream holding its first byte. */
    static SegmentBits tally(TokenizedBytes stream, float[] surprisal, int parts) {
        if (surprisal.length != stream.tokens()) {
            throw new IllegalArgumentException(surprisal.length + " surprisals for " + stream.tokens() + " tokens");
        }
        SegmentBits bits = new SegmentBits(stream.bytes(), parts);
        for (int i = 0; i < surprisal.length; i++) bits.add(stream.starts()[i], surprisal[i]);
        return bits;
    }
}
