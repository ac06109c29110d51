package dev.linnet.engine.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fixed-size history predictor against its plain form, and the properties a code length needs. */
class HistoryMixtureTest {
    static final int VOCAB = 40;

    /** Big enough tables that a short stream's contexts rarely share a slot; no slot ever fills. */
    static final HistoryConfig ROOMY = new HistoryConfig(
            List.of(
                    new HistoryConfig.ContextOrder(1, 16, 16),
                    new HistoryConfig.ContextOrder(2, 16, 16),
                    new HistoryConfig.ContextOrder(3, 16, 16),
                    new HistoryConfig.ContextOrder(5, 16, 16)),
            List.of(
                    new HistoryConfig.SparseContext(List.of(2), 16, 16),
                    new HistoryConfig.SparseContext(List.of(1, 3), 16, 16)),
            4,
            12,
            16,
            8,
            1.0,
            0.5,
            0.05);

    /** A log-like stream: lines of a few templates, each with a varying field (of {@code values} values). */
    static int[] stream(long seed, int n) {
        return stream(seed, n, VOCAB);
    }

    static int[] stream(long seed, int n, int values) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] templates = new int[6][];
        for (int t = 0; t < templates.length; t++) {
            templates[t] = new int[5 + r.nextInt(6)];
            for (int i = 0; i < templates[t].length; i++) templates[t][i] = r.nextInt(VOCAB);
        }
        int[] out = new int[n];
        int i = 0;
        while (i < n) {
            int[] t = templates[r.nextInt(templates.length)];
            int field = r.nextInt(t.length);
            for (int j = 0; j < t.length && i < n; j++) out[i++] = j == field ? r.nextInt(values) : t[j];
        }
        return out;
    }

    /** The network's distribution at a position: some normalised distribution over the vocabulary. */
    static double[] network(long position) {
        SplittableRandom r = new SplittableRandom(position * 7919 + 17);
        double[] p = new double[VOCAB];
        double sum = 0;
        for (int t = 0; t < VOCAB; t++) sum += (p[t] = Math.exp(3 * r.nextDouble()));
        for (int t = 0; t < VOCAB; t++) p[t] /= sum;
        return p;
    }

    /** Whether two distinct contexts of the stream share a slot of some table or of the match index. */
    static boolean collides(HistoryConfig cfg, int[] s) {
        int[] ring = new int[1 << cfg.ringBits()];
        // each table as the offsets it reads (farthest first), its slot bits and its hash
        List<int[]> offsets = new java.util.ArrayList<>();
        List<int[]> keys = new java.util.ArrayList<>();
        for (HistoryConfig.ContextOrder o : cfg.orders()) {
            offsets.add(java.util.stream.IntStream.rangeClosed(1, o.order()).toArray());
            keys.add(new int[] {o.slotBits(), o.order() * 0x45D9F3B});
        }
        offsets.add(java.util.stream.IntStream.rangeClosed(1, cfg.matchOrder()).toArray());
        keys.add(new int[] {cfg.indexBits(), 0x1234567});
        for (HistoryConfig.SparseContext c : cfg.sparse()) {
            offsets.add(c.offsets().stream().mapToInt(Integer::intValue).toArray());
            keys.add(new int[] {c.slotBits(), HistoryMixture.SPARSE_SEED});
        }
        for (int k = 0; k < keys.size(); k++) {
            int[] off = offsets.get(k), key = keys.get(k);
            java.util.Map<Integer, List<Integer>> slotOwner = new java.util.HashMap<>();
            for (int pos = off[off.length - 1]; pos <= s.length; pos++) {
                for (int p = 0; p < pos; p++) ring[p & (ring.length - 1)] = s[p];
                int h = ContextCounts.hashAt(ring, pos, off, key[1]);
                List<Integer> ctx = new java.util.ArrayList<>();
                for (int i = off.length - 1; i >= 0; i--) ctx.add(s[pos - off[i]]);
                List<Integer> was = slotOwner.putIfAbsent(ContextCounts.slot(h, key[0]), ctx);
                if (was != null && !was.equals(ctx)) return true;
            }
        }
        return false;
    }

    @Test
    void tablesEqualThePlainFormWhenNoContextsCollide() {
        int tried = 0, compared = 0;
        for (long seed = 1; compared < 3 && tried < 300; seed++, tried++) {
            int[] s = stream(seed, 500, 8);
            if (collides(ROOMY, s)) continue;
            compared++;
            HistoryMixture m = new HistoryMixture(ROOMY);
            HistoryState h = m.newState();
            HistoryNaive naive = new HistoryNaive(ROOMY);
            for (int i = 0; i < s.length; i++) {
                double net = i == 0 ? Double.NaN : network(i)[s[i]];
                double a = m.observe(h, s[i], net);
                double b = naive.observe(s[i], net);
                assertEquals(Double.doubleToLongBits(b), Double.doubleToLongBits(a), "seed " + seed + " token " + i);
            }
        }
        assertEquals(3, compared, "streams without a slot collision among " + tried + " tried");
    }

    @Test
    void theMixtureIsADistributionAfterAnyHistory() {
        HistoryMixture m = new HistoryMixture(HistoryConfig.DEFAULT);
        HistoryState h = m.newState();
        int[] s = stream(5, 3000);
        for (int i = 0; i < s.length; i++) {
            if (i % 500 == 1 || i == s.length - 1) {
                double[] net = network(i);
                double sum = 0;
                for (int t = 0; t < VOCAB; t++) sum += m.observe(h.copy(), t, net[t]);
                assertEquals(1.0, sum, 1e-12, "after " + i + " tokens");
            }
            m.observe(h, s[i], i == 0 ? Double.NaN : network(i)[s[i]]);
        }
    }

    @Test
    void theWholeDistributionIsWhatObservingEachTokenGives() {
        for (HistoryConfig cfg : List.of(HistoryConfig.DEFAULT, ROOMY)) {
            HistoryMixture m = new HistoryMixture(cfg);
            HistoryState h = m.newState();
            int[] s = stream(21, 2500);
            for (int i = 0; i < s.length; i++) {
                if (i % 250 == 3) {
                    double[] net = network(i);
                    double[] all = new double[VOCAB];
                    HistoryState before = h.copy();
                    m.distribution(h, net, all);
                    assertTrue(h.sameAs(before), "the distribution leaves the history as it was");
                    double sum = 0;
                    for (int t = 0; t < VOCAB; t++) {
                        assertEquals(
                                Double.doubleToLongBits(m.observe(h.copy(), t, net[t])),
                                Double.doubleToLongBits(all[t]),
                                "token " + t + " after " + i);
                        sum += all[t];
                    }
                    assertEquals(1.0, sum, 1e-12);
                }
                m.observe(h, s[i], i == 0 ? Double.NaN : network(i)[s[i]]);
            }
        }
    }

    @Test
    void aForeignHistoryOrATokenOutOfRangeIsRefused() {
        HistoryMixture m = new HistoryMixture(ROOMY);
        HistoryState foreign = new HistoryMixture(HistoryConfig.DEFAULT).newState();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> m.observe(foreign, 1, 0.5));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> m.distribution(foreign, network(1), new double[VOCAB]));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> m.observe(m.newState(), -1, 0.5));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> m.observe(m.newState(), HistoryMixture.MAX_TOKEN + 1, 0.5));
    }

    @Test
    void aRepeatingStreamCostsFarLessThanTheNetworkSays() {
        HistoryMixture m = new HistoryMixture(HistoryConfig.DEFAULT);
        HistoryState h = m.newState();
        int[] s = stream(9, 4000);
        double network = 0, mixed = 0;
        for (int i = 0; i < s.length; i++) {
            double net = i == 0 ? Double.NaN : network(i)[s[i]];
            double p = m.observe(h, s[i], net);
            if (i >= 2000) {
                network -= Math.log(net);
                mixed -= Math.log(p);
            }
        }
        assertTrue(mixed < 0.5 * network, "history " + mixed + " nats against the network's " + network);
    }

    @Test
    void aFullTableForgetsButStaysExactAndFinite() {
        HistoryConfig tiny = new HistoryConfig(
                List.of(new HistoryConfig.ContextOrder(1, 2, 2), new HistoryConfig.ContextOrder(3, 1, 1)),
                List.of(new HistoryConfig.SparseContext(List.of(2, 3), 1, 2)),
                2,
                3,
                1,
                1,
                0.5,
                0.9,
                0.5);
        HistoryMixture m = new HistoryMixture(tiny);
        HistoryState a = m.newState(), b = m.newState();
        int[] s = stream(3, 20_000);
        for (int i = 0; i < s.length; i++) {
            double net = i == 0 ? Double.NaN : network(i)[s[i]];
            double x = m.observe(a, s[i], net), y = m.observe(b, s[i], net);
            assertEquals(Double.doubleToLongBits(x), Double.doubleToLongBits(y));
            if (i > 0) assertTrue(x > 0 && x <= 1, "probability " + x + " at " + i);
        }
        assertTrue(a.sameAs(b));
        Set<Integer> counts = new HashSet<>();
        for (int e : a.entries[0]) counts.add(e & 0xff);
        assertTrue(counts.stream().allMatch(c -> c <= HistoryConfig.MAX_COUNT));
    }
}
