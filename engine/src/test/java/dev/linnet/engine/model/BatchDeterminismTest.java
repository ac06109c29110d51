package dev.linnet.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.kernels.KernelPool;
import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Workspace;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.testing.TinyHybridModelTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream's results never depend on what else shares its batch: each stream run alone and the same streams
 * run together, in batches of different composition and order, give bit-identical outputs and states.
 */
class BatchDeterminismTest extends TinyHybridModelTest {
    @Test
    void batchedEqualsAloneBitForBit() {
        int streams = 4;
        int[][][] chunks = new int[streams][][];
        for (int s = 0; s < streams; s++) {
            // different chunk lengths per stream, crossing the window (48) and block (16)
            int[] lens = {1 + s * 13, 60, 7, 33 + s};
            chunks[s] = new int[lens.length][];
            for (int c = 0; c < lens.length; c++) chunks[s][c] = tokens(100L * s + c, lens[c]);
        }
        // alone
        StreamState[] alone = new StreamState[streams];
        List<List<ChunkResult>> aloneResults = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            alone[s] = model.newState();
            List<ChunkResult> rs = new ArrayList<>();
            for (int[] c : chunks[s]) rs.add(model.forward(alone[s], c, ForwardOptions.WITH_LOGITS));
            aloneResults.add(rs);
        }
        // together, in reversed order, and with a stream that sits some rounds out
        StreamState[] together = new StreamState[streams];
        for (int s = 0; s < streams; s++) together[s] = model.newState();
        for (int c = 0; c < 4; c++) {
            List<StreamState> states = new ArrayList<>();
            List<int[]> batch = new ArrayList<>();
            List<Integer> who = new ArrayList<>();
            for (int s = streams - 1; s >= 0; s--) {
                states.add(together[s]);
                batch.add(chunks[s][c]);
                who.add(s);
            }
            List<ChunkResult> rs = model.forwardBatch(states, batch, ForwardOptions.WITH_LOGITS);
            for (int i = 0; i < who.size(); i++) {
                ChunkResult a = aloneResults.get(who.get(i)).get(c);
                ChunkResult b = rs.get(i);
                assertArrayEquals(a.surprisal(), b.surprisal(), "surprisal of stream " + who.get(i) + " chunk " + c);
                assertArrayEquals(a.logits(), b.logits(), "logits of stream " + who.get(i) + " chunk " + c);
                assertArrayEquals(a.embedding(), b.embedding(), "embedding of stream " + who.get(i) + " chunk " + c);
            }
        }
        for (int s = 0; s < streams; s++) {
            assertTrue(alone[s].sameAs(together[s]), "state of stream " + s);
        }
    }

    /**
     * How many threads a call may use changes how the work is cut (with 8, the window layer splits a stream's heads
     * into runs of query blocks), never a bit of the results.
     */
    @Test
    void theNumberOfThreadsNeverChangesABit() {
        int[][] chunks = {tokens(7, 300), tokens(8, 1), tokens(9, 200)};
        List<ChunkResult> reference = null;
        StreamState referenceState = null;
        for (int threads : new int[] {1, 2, 8}) {
            try (KernelPool.User user = KernelPool.join(threads)) {
                StreamState s = model.newState();
                List<ChunkResult> rs = new ArrayList<>();
                for (int[] c : chunks) rs.add(model.forward(s, c, ForwardOptions.WITH_LOGITS));
                if (reference == null) {
                    reference = rs;
                    referenceState = s;
                    continue;
                }
                for (int c = 0; c < chunks.length; c++) {
                    String what = threads + " threads, chunk " + c;
                    assertArrayEquals(reference.get(c).surprisal(), rs.get(c).surprisal(), what);
                    assertArrayEquals(reference.get(c).logits(), rs.get(c).logits(), what);
                    assertArrayEquals(reference.get(c).embedding(), rs.get(c).embedding(), what);
                }
                assertTrue(referenceState.sameAs(s), "state with " + threads + " threads");
            }
        }
    }

    @Test
    void leftoversInTheWorkArraysNeverReachAResult() throws Exception {
        int[][] pieces = {tokens(31, 1), tokens(32, 7), tokens(33, 40), tokens(34, 3)};
        // reference: a thread of its own, whose work arrays start out new (zero)
        List<ChunkResult> expected = new ArrayList<>();
        StreamState[] fresh = new StreamState[1];
        Thread t = new Thread(() -> {
            fresh[0] = model.newState();
            for (int[] p : pieces) expected.add(model.forward(fresh[0], p, ForwardOptions.WITH_LOGITS));
        });
        t.start();
        t.join();
        assertEquals(pieces.length, expected.size());
        // here: a bigger batch leaves larger arrays behind, then every kept array is filled with NaN before each piece
        StreamState other = model.newState();
        model.forwardBatch(
                List.of(other, model.newState()), List.of(tokens(35, 120), tokens(36, 70)), ForwardOptions.WITH_LOGITS);
        StreamState s = model.newState();
        for (int i = 0; i < pieces.length; i++) {
            Kernels.get().forEachTask(8, task -> Workspace.ofThread().fillKept(Float.NaN));
            Workspace.ofThread().fillKept(Float.NaN);
            ChunkResult r = model.forward(s, pieces[i], ForwardOptions.WITH_LOGITS);
            assertArrayEquals(expected.get(i).surprisal(), r.surprisal(), "surprisal of piece " + i);
            assertArrayEquals(expected.get(i).logits(), r.logits(), "logits of piece " + i);
            assertArrayEquals(expected.get(i).embedding(), r.embedding(), "embedding of piece " + i);
        }
        assertTrue(fresh[0].sameAs(s), "state");
    }

    @Test
    void sameInputSameBits() {
        int[] t = tokens(7, 90);
        StreamState a = model.newState();
        StreamState b = model.newState();
        ChunkResult ra = model.forward(a, t, ForwardOptions.DEFAULT);
        ChunkResult rb = model.forward(b, t, ForwardOptions.DEFAULT);
        assertArrayEquals(ra.surprisal(), rb.surprisal());
        assertTrue(a.sameAs(b));
    }

    @Test
    void surprisalIsMinusLogProbabilityOfTheNextToken() {
        int[] t = tokens(11, 20);
        StreamState s = model.newState();
        ChunkResult first = model.forward(s, java.util.Arrays.copyOf(t, 10), ForwardOptions.WITH_LOGITS);
        assertTrue(Float.isNaN(first.surprisal()[0]), "nothing predicts a stream's first token");
        int vocab = model.config().vocabSize();
        for (int i = 1; i < 10; i++) {
            double lse = model.kernels().logSumExp(first.logits(), (i - 1) * vocab, vocab, new float[vocab]);
            assertEquals(lse - first.logits()[(i - 1) * vocab + t[i]], first.surprisal()[i], 1e-5);
        }
        // the next chunk's first token is predicted by the previous chunk's last position
        ChunkResult second = model.forward(s, java.util.Arrays.copyOfRange(t, 10, 20), ForwardOptions.DEFAULT);
        double lse = model.kernels().logSumExp(first.logits(), 9 * vocab, vocab, new float[vocab]);
        assertEquals(lse - first.logits()[9 * vocab + t[10]], second.surprisal()[0], 1e-5);
        assertEquals(20, s.tokensSeen());
    }

    @Test
    void generationLeavesTheStreamUntouchedAndRepeats() {
        StreamState s = model.newState();
        model.forward(s, tokens(3, 30), ForwardOptions.DEFAULT);
        StreamState before = s.copy();
        int[] g1 = model.generate(s, new int[] {5, 6}, 12, 0.8f, 42);
        int[] g2 = model.generate(s, new int[] {5, 6}, 12, 0.8f, 42);
        assertArrayEquals(g1, g2);
        assertTrue(s.sameAs(before), "generate must work on a copy");
        int[] greedy = model.generate(s, null, 5, 0f, 0);
        StreamState c = s.copy();
        for (int tok : greedy) {
            float[] l = model.nextLogits(c);
            int best = 0;
            for (int i = 1; i < l.length; i++) if (l[i] > l[best]) best = i;
            assertEquals(best, tok);
            model.forward(c, new int[] {tok}, ForwardOptions.DEFAULT);
        }
        assertNotSame(s, c);
    }

    @Test
    void badTokensAndMisuseAreRefusedClearly() {
        StreamState s = model.newState();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> model.forward(s, new int[] {1, 512}, ForwardOptions.DEFAULT));
        assertTrue(e.getMessage().contains("512") && e.getMessage().contains("vocabulary"), e.getMessage());
        assertEquals(0, s.tokensSeen());
        assertThrows(
                IllegalArgumentException.class,
                () -> model.forwardBatch(List.of(s, s), List.of(new int[] {1}, new int[] {2}), ForwardOptions.DEFAULT));
        assertThrows(IllegalStateException.class, () -> model.nextLogits(model.newState()));
    }
}
