package dev.linnet.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linnet.engine.config.ConfigException;
import dev.linnet.engine.config.ConfigParser;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.history.HistoryConfig;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StateFormatException;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.testing.Golden;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A model that mixes the stream's history in: chunking, batching and the state's stored form. */
class HistoryModelTest {
    static ModelConfig config(String history) throws Exception {
        ObjectNode root = (ObjectNode)
                new ObjectMapper().readTree(Files.readString(Golden.tinyHybrid().resolve("config.json")));
        if (history != null) root.set("linnet_history", new ObjectMapper().readTree(history));
        return ConfigParser.parse("test config", root);
    }

    static final String SMALL =
            "{\"orders\": [[1, 8, 8], [2, 9, 4], [4, 9, 4]], \"sparse\": [[[2], 7, 8], [[1, 3], 8, 4]],"
                    + " \"ring_bits\": 10, \"index_bits\": 9}";

    static int[] logLike(int n, int vocab) {
        SplittableRandom r = new SplittableRandom(11);
        int[][] lines = new int[5][];
        for (int t = 0; t < lines.length; t++)
            lines[t] = r.ints(6 + r.nextInt(8), 0, vocab).toArray();
        int[] out = new int[n];
        for (int i = 0; i < n; ) {
            int[] line = lines[r.nextInt(lines.length)];
            for (int j = 0; j < line.length && i < n; j++) out[i++] = j == 2 ? r.nextInt(vocab) : line[j];
        }
        return out;
    }

    static float[] feed(Model m, StreamState s, int[] tokens, int chunk, ForwardOptions o) {
        float[] out = new float[tokens.length];
        for (int i = 0; i < tokens.length; i += chunk) {
            int[] piece = Arrays.copyOfRange(tokens, i, Math.min(tokens.length, i + chunk));
            System.arraycopy(m.forward(s, piece, o).surprisal(), 0, out, i, piece.length);
        }
        return out;
    }

    @Test
    void configKeyParsesToTheDefaultsAndIsPartOfTheFingerprint() throws Exception {
        assertEquals(HistoryConfig.DEFAULT, config("{}").history());
        assertEquals(null, config(null).history());
        assertNotEquals(
                Model.random(config(null), 1, LoadOptions.DEFAULT).fingerprint(),
                Model.random(config("{}"), 1, LoadOptions.DEFAULT).fingerprint());
        ConfigException e = assertThrows(ConfigException.class, () -> config("{\"ring_bit\": 3}"));
        assertTrue(e.getMessage().contains("linnet_history") && e.getMessage().contains("ring_bit"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> config("{\"discount\": 1.5}"));
        assertTrue(e.getMessage().contains("discount"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> config("{\"orders\": [[2, 8, 4], [1, 8, 4]]}"));
        assertTrue(e.getMessage().contains("rise"), e.getMessage());
        HistoryConfig none = config("{\"sparse\": []}").history();
        assertTrue(none.sparse().isEmpty() && none.orders().equals(HistoryConfig.DEFAULT.orders()));
        assertNotEquals(HistoryConfig.DEFAULT.canonical(), none.canonical());
        assertEquals(
                List.of(new HistoryConfig.SparseContext(List.of(1, 5), 9, 3)),
                config("{\"sparse\": [[[1, 5], 9, 3]]}").history().sparse());
        e = assertThrows(ConfigException.class, () -> config("{\"sparse\": [[[3, 2], 8, 4]]}"));
        assertTrue(e.getMessage().contains("rise"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> config("{\"sparse\": [[2, 8, 4]]}"));
        assertTrue(e.getMessage().contains("linnet_history.sparse"), e.getMessage());
    }

    @Test
    void everyChunkingAndBatchGivesTheSameBitsAndState() throws Exception {
        Model m = Model.random(config(SMALL), 5, LoadOptions.DEFAULT);
        int[] tokens = logLike(1500, m.config().vocabSize());
        StreamState ref = m.newState();
        float[] whole = feed(m, ref, tokens, 100, ForwardOptions.DEFAULT);
        // the network's arithmetic differs across chunkings within its tolerance; the history adds no more
        for (int chunk : new int[] {1, 7, 64}) {
            StreamState s = m.newState();
            float[] got = feed(m, s, tokens, chunk, ForwardOptions.DEFAULT);
            assertTrue(Float.isNaN(got[0]) && Float.isNaN(whole[0]), "nothing predicts the first token");
            for (int i = 1; i < got.length; i++) {
                assertEquals(
                        whole[i], got[i], 2e-4 * Math.max(1, Math.abs(whole[i])), "chunk " + chunk + " token " + i);
            }
            assertEquals(ref.tokensSeen(), s.tokensSeen());
            assertEquals(ref.history().position(), s.history().position());
        }
        // batched with another stream, in pieces of 100: bit for bit what it gives alone
        StreamState a = m.newState(), b = m.newState();
        int[] other = logLike(1500, 7);
        List<Float> got = new ArrayList<>();
        for (int i = 0; i < tokens.length; i += 100) {
            List<ChunkResult> r = m.forwardBatch(
                    List.of(b, a),
                    List.of(Arrays.copyOfRange(other, i, i + 100), Arrays.copyOfRange(tokens, i, i + 100)),
                    ForwardOptions.DEFAULT);
            for (float f : r.get(1).surprisal()) got.add(f);
        }
        for (int i = 0; i < whole.length; i++)
            assertEquals(Float.floatToIntBits(whole[i]), Float.floatToIntBits(got.get(i)));
        assertTrue(a.sameAs(ref));
    }

    @Test
    void historyLowersTheCostOfARepetitiveStreamAndNetworkOptionGivesTheNetworks() throws Exception {
        Model plain = Model.random(config(null), 5, LoadOptions.DEFAULT);
        Model mixed = Model.random(config(SMALL), 5, LoadOptions.DEFAULT);
        int[] tokens = logLike(3000, plain.config().vocabSize());
        float[] network = feed(plain, plain.newState(), tokens, 256, ForwardOptions.DEFAULT);
        StreamState s = mixed.newState();
        float[] asNetwork = feed(mixed, s, tokens, 256, ForwardOptions.NETWORK);
        assertArrayEquals(network, asNetwork, "the network's own surprisal is unchanged by the history");
        StreamState t = mixed.newState();
        float[] withHistory = feed(mixed, t, tokens, 256, ForwardOptions.DEFAULT);
        assertTrue(s.sameAs(t), "the history observes every token whichever surprisal is reported");
        double n = 0, h = 0;
        for (int i = 1500; i < tokens.length; i++) {
            n += network[i];
            h += withHistory[i];
        }
        assertTrue(h < 0.6 * n, "history " + h + " nats against the network's " + n);
    }

    @Test
    void logitsAreTheMixturesAndThePricesOfTheNextToken() throws Exception {
        Model plain = Model.random(config(null), 5, LoadOptions.DEFAULT);
        Model mixed = Model.random(config(SMALL), 5, LoadOptions.DEFAULT);
        int vocab = mixed.config().vocabSize();
        int[] tokens = logLike(600, vocab);
        StreamState s = mixed.newState();
        ChunkResult first = mixed.forward(s, Arrays.copyOf(tokens, 500), ForwardOptions.WITH_LOGITS);
        ChunkResult next = mixed.forward(s.copy(), Arrays.copyOfRange(tokens, 500, 600), ForwardOptions.DEFAULT);
        // the last row's log-probabilities sum to one and price the token that follows as its surprisal does
        double sum = 0;
        for (int t = 0; t < vocab; t++) sum += Math.exp(first.logits()[499 * vocab + t]);
        assertEquals(1.0, sum, 1e-4);
        assertEquals(next.surprisal()[0], -first.logits()[499 * vocab + tokens[500]], 1e-4);
        float[] ahead = mixed.nextLogits(s);
        assertArrayEquals(Arrays.copyOfRange(first.logits(), 499 * vocab, 500 * vocab), ahead, 1e-5f);
        // the network's own logits are a plain model's
        ChunkResult net =
                mixed.forward(mixed.newState(), Arrays.copyOf(tokens, 500), ForwardOptions.NETWORK.withLogits());
        ChunkResult ref = plain.forward(plain.newState(), Arrays.copyOf(tokens, 500), ForwardOptions.WITH_LOGITS);
        assertArrayEquals(ref.logits(), net.logits());
        assertArrayEquals(ref.surprisal(), net.surprisal());
    }

    @Test
    void storedFormKeepsTheHistoryExactlyAndRefusesAMismatch() throws Exception {
        Model m = Model.random(config(SMALL), 5, LoadOptions.DEFAULT);
        Model plain = Model.random(config(null), 5, LoadOptions.DEFAULT);
        StreamState s = m.newState();
        int[] tokens = logLike(700, m.config().vocabSize());
        feed(m, s, Arrays.copyOf(tokens, 400), 50, ForwardOptions.DEFAULT);
        for (StatePrecision p : StatePrecision.values()) {
            StateCodec codec = m.stateCodec(p);
            byte[] bytes = codec.encode(s);
            assertEquals(codec.encodedSize(s), bytes.length);
            assertTrue(bytes.length < codec.encodedSize(s.tokensSeen()), "a young history is written sparsely");
            StreamState back = codec.decode(bytes);
            assertTrue(back.history().sameAs(s.history()), "history round trip at " + p);
            if (p == StatePrecision.FLOAT32) {
                assertTrue(back.sameAs(s));
                StreamState c = s.copy();
                float[] x = feed(m, c, Arrays.copyOfRange(tokens, 400, 700), 30, ForwardOptions.DEFAULT);
                float[] y = feed(m, back, Arrays.copyOfRange(tokens, 400, 700), 30, ForwardOptions.DEFAULT);
                assertArrayEquals(x, y, "a restored stream continues bit for bit");
            }
        }
        // an older stream, whose ring and tables are written densely in part
        StreamState old = s.copy();
        feed(m, old, logLike(3000, m.config().vocabSize()), 500, ForwardOptions.DEFAULT);
        StateCodec f32 = m.stateCodec(StatePrecision.FLOAT32);
        byte[] oldBytes = f32.encode(old);
        assertEquals(f32.encodedSize(old), oldBytes.length);
        assertTrue(f32.decode(oldBytes).sameAs(old));
        byte[] cut = Arrays.copyOf(oldBytes, oldBytes.length - 9);
        assertThrows(StateFormatException.class, () -> f32.decode(cut));
        // a state of the plain model under the history model, and the other way round: refused by name
        StreamState q = plain.newState();
        feed(plain, q, Arrays.copyOf(tokens, 10), 10, ForwardOptions.DEFAULT);
        byte[] plainBytes = plain.stateCodec(StatePrecision.FLOAT32).encode(q);
        StateCodec historyCodec = new StateCodec(plain.fingerprint(), m.newState(), StatePrecision.FLOAT32);
        StateFormatException e = assertThrows(StateFormatException.class, () -> historyCodec.decode(plainBytes));
        assertTrue(e.getMessage().contains("history"), e.getMessage());
        byte[] historyBytes = m.stateCodec(StatePrecision.FLOAT32).encode(s);
        StateCodec plainCodec = new StateCodec(m.fingerprint(), plain.newState(), StatePrecision.FLOAT32);
        e = assertThrows(StateFormatException.class, () -> plainCodec.decode(historyBytes));
        assertTrue(e.getMessage().contains("history"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.forward(q, new int[] {1}, ForwardOptions.DEFAULT));
    }
}
