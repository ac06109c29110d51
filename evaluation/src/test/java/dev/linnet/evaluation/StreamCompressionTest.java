package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.model.DefaultModel;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.testing.Golden;
import dev.linnet.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StreamCompressionTest {
    /** The shipped model's tokenizer, which has the begin token the command looks up. */
    static Tokenizer defaultTokenizer() throws Exception {
        return Tokenizer.load(Path.of("..", DefaultModel.SOURCE_PATH, "tokenizer.json"));
    }

    /** Log text as one token per byte (the tiny reference model's vocabulary of 512 holds every byte). */
    private static StreamCompression.TokenizedBytes byteTokens(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length], starts = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            ids[i] = b[i] & 0xff;
            starts[i] = i;
        }
        return new StreamCompression.TokenizedBytes(ids, starts, b.length, 0);
    }

    private static String traffic(long seed, int lines) {
        LogTraffic t = new LogTraffic(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) sb.append(t.next().text()).append('\n');
        return sb.toString();
    }

    /** Sum of the surprisals, in double, of the stream's tokens (the begin token's NaN left out). */
    private static double sum(float[] s, int from) {
        double total = 0;
        for (int i = from; i < s.length; i++) total += s[i];
        return total;
    }

    @Test
    void quarterBitsAddUpToTheWholeFileExactly() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        StreamCompression.TokenizedBytes stream = byteTokens(traffic(11, 4));
        StreamCompression.Result r = StreamCompression.measure("traffic", model, 0, stream, 64, 4, null);
        SegmentBits bits = r.bits();
        assertEquals(stream.tokens(), r.tokens());
        assertEquals(stream.bytes(), r.bytes());
        double quarters = bits.bits(0) + bits.bits(1) + bits.bits(2) + bits.bits(3);
        assertEquals(bits.bits(), quarters, 0.0, "the quarters' bits are the file's bits, not nearly");
        long tokens = 0, bytes = 0;
        for (int q = 0; q < 4; q++) {
            tokens += bits.tokens(q);
            bytes += bits.partBytes(q);
            assertEquals(bits.bits(q) / bits.partBytes(q), bits.bitsPerByte(q), 0.0);
            assertTrue(bits.bitsPerByte(q) > 0, "quarter " + q);
        }
        assertEquals(stream.tokens(), tokens, "every token counted once");
        assertEquals(stream.bytes(), bytes);
        assertEquals(0, bits.nonFinite());
        // and the whole is the sum of the model's own surprisals over the stream, in bits
        int[] fed = new int[stream.tokens() + 1];
        System.arraycopy(stream.ids(), 0, fed, 1, stream.tokens());
        float[] direct =
                model.forward(model.newState(), fed, ForwardOptions.DEFAULT).surprisal();
        assertTrue(Float.isNaN(direct[0]), "the begin token has no prediction");
        double expected = sum(direct, 1) / Math.log(2);
        assertEquals(expected, bits.bits(), 1e-4 * expected);
        assertEquals(expected / stream.bytes(), bits.bitsPerByte(), 1e-4 * expected / stream.bytes());
    }

    @Test
    void streamSurprisalIsTheSameInOneChunkAsInChunksOfSeven() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        int[] ids = byteTokens(traffic(12, 3)).ids();
        int[] fed = new int[ids.length + 1];
        System.arraycopy(ids, 0, fed, 1, ids.length);
        // Model.forward itself: the begin token and the tokens in one chunk, then in chunks of 7
        double oneChunk =
                sum(model.forward(model.newState(), fed, ForwardOptions.DEFAULT).surprisal(), 1);
        StreamState state = model.newState();
        float[] bySeven = new float[fed.length];
        for (int from = 0; from < fed.length; from += 7) {
            float[] s = model.forward(
                            state,
                            Arrays.copyOfRange(fed, from, Math.min(fed.length, from + 7)),
                            ForwardOptions.DEFAULT)
                    .surprisal();
            System.arraycopy(s, 0, bySeven, from, s.length);
        }
        double sevens = sum(bySeven, 1);
        assertEquals(oneChunk, sevens, 1e-3 * oneChunk, "the model's own chunking");
        // the stream computation, whatever its chunk (including one that cuts right after the begin token)
        for (int chunk : new int[] {fed.length, 1024, 7, 1, 2}) {
            float[] s = StreamCompression.surprisal(model, 0, ids, chunk, null);
            assertEquals(ids.length, s.length);
            assertEquals(oneChunk, sum(s, 0), 1e-3 * oneChunk, "chunk " + chunk);
        }
        // in chunks of 7 the stream computation sees the very same passes, so the very same numbers
        float[] s7 = StreamCompression.surprisal(model, 0, ids, 7, null);
        float[] expected = Arrays.copyOfRange(bySeven, 1, bySeven.length);
        assertArrayEquals(expected, s7);
        long[] progress = {0};
        StreamCompression.surprisal(model, 0, ids, 50, done -> progress[0] = done);
        assertEquals(ids.length, progress[0]);
        assertThrows(IllegalArgumentException.class, () -> StreamCompression.surprisal(model, 512, ids, 7, null));
        assertThrows(IllegalArgumentException.class, () -> StreamCompression.surprisal(model, 0, ids, 0, null));
    }

    @Test
    void tokensCarryTheByteOffsetsOfTheOriginalBytes() throws Exception {
        Tokenizer tok = defaultTokenizer();
        assertEquals(0, StreamCompression.beginToken(tok), "<|endoftext|> is id 0 in the default tokenizer");
        byte[] text =
                "2024-03-01 12:00:01 INFO caf\u00e9 \u65e5\u672c served 17 bytes\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = Arrays.copyOf(text, text.length + 3);
        bad[text.length] = (byte) 0xff; // not UTF-8
        bad[text.length + 1] = 'o';
        bad[text.length + 2] = 'k';
        StreamCompression.TokenizedBytes t = StreamCompression.tokenize(tok, bad);
        assertEquals(bad.length, t.bytes(), "bytes of the file, not of its repaired text");
        assertEquals(1, t.replacements());
        assertEquals(0, t.starts()[0]);
        // the pieces of the U+FFFD standing for the bad byte all start at that byte
        for (int i = 1; i < t.tokens(); i++) assertTrue(t.starts()[i] >= t.starts()[i - 1], "offsets never go back");
        assertTrue(t.starts()[t.tokens() - 1] < bad.length);
        // up to the bad byte the tokens are those of the clean text, and so are their offsets
        StreamCompression.TokenizedBytes clean = StreamCompression.tokenize(tok, text);
        for (int i = 1; i < clean.tokens(); i++)
            assertTrue(clean.starts()[i] > clean.starts()[i - 1], "offsets increase");
        assertEquals(text.length, clean.bytes());
        assertArrayEquals(
                clean.ids(), Arrays.copyOf(tok.encode(new String(text, StandardCharsets.UTF_8)), clean.tokens()));
        assertArrayEquals(
                Arrays.copyOf(clean.starts(), clean.tokens() - 1), Arrays.copyOf(t.starts(), clean.tokens() - 1));
    }

    @Test
    void aTokenizerWithoutTheBeginTokenIsRefusedClearly() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root;
        try (java.io.InputStream in = getClass().getResourceAsStream("/tokenizer/gpt2-style.json")) {
            root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(in);
        }
        root.putArray("added_tokens");
        // the token keeps its id under another name: the vocabulary stays dense, only the begin token is missing
        com.fasterxml.jackson.databind.node.ObjectNode vocab = (com.fasterxml.jackson.databind.node.ObjectNode)
                root.get("model").get("vocab");
        vocab.set("<|not-the-begin-token|>", vocab.remove(StreamCompression.BEGIN_TOKEN));
        Tokenizer tok = Tokenizer.fromJson(root);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> StreamCompression.beginToken(tok));
        assertTrue(e.getMessage().contains("<|endoftext|>"), e.getMessage());
    }
}
