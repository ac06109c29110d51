package dev.linnet.engine.history;

import java.util.List;

/**
 * The shape and constants of a stream's history predictor ({@code "linnet_history"} in config.json).
 *
 * @param orders        the context tables, lowest order first
 * @param sparse        context tables of tokens at chosen distances back, skipping those between (a field that
 *                      follows the same field of the line before, a value two tokens after its key)
 * @param matchOrder    tokens of context the match model hashes to find where the stream was last like now
 * @param ringBits      the match model remembers the last 2^ringBits tokens
 * @param indexBits     its index of contexts has 2^indexBits entries
 * @param stickyMisses  after a mispredicted token the match model keeps following its pointer this many times
 *                      (a line that repeats an earlier one with a changed field keeps its alignment)
 * @param concentration how much a context's counts defer to the order below (alpha of the interpolation)
 * @param discount      taken from every count and given to the order below (absolute discounting, in [0, 1))
 * @param mixerRate     learning rate of the per-stream mixing weights
 */
public record HistoryConfig(
        List<ContextOrder> orders,
        List<SparseContext> sparse,
        int matchOrder,
        int ringBits,
        int indexBits,
        int stickyMisses,
        double concentration,
        double discount,
        double mixerRate)
        implements java.io.Serializable {

    /**
     * One context table: counts of the tokens that followed each context of {@code order} tokens, in 2^slotBits
     * slots of {@code width} (token, count) pairs; a context that hashes to a taken slot replaces its counts.
     */
    public record ContextOrder(int order, int slotBits, int width) implements java.io.Serializable {}

    /**
     * One sparse context table: counts of the tokens that followed the tokens {@code offsets} back (1: the last
     * token), in 2^slotBits slots of {@code width} (token, count) pairs. It interpolates down to the network alone.
     */
    public record SparseContext(List<Integer> offsets, int slotBits, int width) implements java.io.Serializable {
        public SparseContext {
            offsets = List.copyOf(offsets);
        }

        /** The farthest token back it reads. */
        int reach() {
            return offsets.get(offsets.size() - 1);
        }
    }

    static final int MAX_ORDER = 64;
    static final int MAX_SLOT_BITS = 24;
    static final int MAX_WIDTH = 256;
    static final int MAX_SPARSE = 16;
    static final int MAX_RING_BITS = 24;
    /** Counts live in 8 bits of a packed entry; at this they are halved, so recent tokens keep weight. */
    static final int MAX_COUNT = 255;
    /** Match lengths are told apart by their bit length up to this many buckets. */
    static final int MATCH_BUCKETS = 16;
    /** States of the match model (see {@code HistoryMixture.matchState}), which select the mixing weights with the order. */
    static final int MATCH_STATES = 4;

    /**
     * The default, chosen on logs of systems outside the training and evaluation data (a gdb test log, a
     * HotSpot jtreg log, an npm debug log, a Maven build of this project): about 3.3 MB a stream.
     */
    public static final HistoryConfig DEFAULT = new HistoryConfig(
            List.of(
                    new ContextOrder(1, 12, 32),
                    new ContextOrder(2, 13, 8),
                    new ContextOrder(3, 13, 8),
                    new ContextOrder(4, 13, 8),
                    new ContextOrder(6, 13, 8),
                    new ContextOrder(8, 13, 8)),
            List.of(
                    new SparseContext(List.of(2), 10, 64),
                    new SparseContext(List.of(3), 10, 64),
                    new SparseContext(List.of(1, 3), 12, 16),
                    new SparseContext(List.of(2, 4), 12, 16)),
            6,
            15,
            15,
            16,
            1.0,
            0.5,
            0.05);

    public HistoryConfig {
        orders = List.copyOf(orders);
        sparse = List.copyOf(sparse);
        if (orders.isEmpty()) throw new IllegalArgumentException("a history needs at least one context order");
        int last = 0;
        for (ContextOrder o : orders) {
            check("order", o.order(), 1, MAX_ORDER);
            check("slot bits", o.slotBits(), 1, MAX_SLOT_BITS);
            check("width", o.width(), 1, MAX_WIDTH);
            if (o.order() <= last) throw new IllegalArgumentException("context orders must rise, got " + orders);
            last = o.order();
        }
        check("sparse contexts", sparse.size(), 0, MAX_SPARSE);
        for (SparseContext c : sparse) {
            check("sparse offsets", c.offsets().size(), 1, 8);
            int before = 0;
            for (int off : c.offsets()) {
                check("sparse offset", off, 1, MAX_ORDER);
                if (off <= before) throw new IllegalArgumentException("sparse offsets must rise, got " + c.offsets());
                before = off;
            }
            check("slot bits", c.slotBits(), 1, MAX_SLOT_BITS);
            check("width", c.width(), 1, MAX_WIDTH);
            last = Math.max(last, c.reach());
        }
        check("match order", matchOrder, 1, MAX_ORDER);
        check("ring bits", ringBits, 1, MAX_RING_BITS);
        check("index bits", indexBits, 1, MAX_SLOT_BITS);
        check("sticky misses", stickyMisses, 0, 1 << 20);
        if ((1 << ringBits) < Math.max(last, matchOrder)) {
            throw new IllegalArgumentException(
                    "the ring of 2^" + ringBits + " tokens is shorter than the longest context");
        }
        if (!(concentration > 0 && concentration <= 1e6)) {
            throw new IllegalArgumentException("concentration must be in (0, 1e6], got " + concentration);
        }
        if (!(discount >= 0 && discount < 1)) {
            throw new IllegalArgumentException("discount must be in [0, 1), got " + discount);
        }
        if (!(mixerRate >= 0 && mixerRate <= 10)) {
            throw new IllegalArgumentException("mixer rate must be in [0, 10], got " + mixerRate);
        }
    }

    private static void check(String what, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("history " + what + " must be in [" + min + ", " + max + "], got " + v);
        }
    }

    /** Mixed predictors: the network, one per context order, the match model, one per sparse context. */
    int components() {
        return orders.size() + 2 + sparse.size();
    }

    /** Context tables of a stream: the orders' then the sparse contexts'. */
    int tables() {
        return orders.size() + sparse.size();
    }

    /** Weight sets of the mixer: by the longest order whose context was seen (or none), and the match state. */
    int mixerClasses() {
        return (orders.size() + 1) * MATCH_STATES;
    }

    /** Bytes of one stream's history in memory, as {@link HistoryState#memoryBytes()} counts them. */
    public long stateBytes() {
        long ints = 0;
        for (ContextOrder o : orders) ints += (1L << o.slotBits()) * (1 + o.width());
        for (SparseContext c : sparse) ints += (1L << c.slotBits()) * (1 + c.width());
        ints += (1L << ringBits) + (1L << indexBits) + 2L * MATCH_BUCKETS + 2;
        return 4 * ints + 8L * mixerClasses() * components() + 8 + 8;
    }

    /** The exact description that goes into the model fingerprint. */
    public String canonical() {
        StringBuilder b = new StringBuilder("history:");
        for (ContextOrder o : orders)
            b.append(o.order())
                    .append('/')
                    .append(o.slotBits())
                    .append('/')
                    .append(o.width())
                    .append(',');
        for (SparseContext c : sparse) // absent when there are none, so older fingerprints stand
        b.append("sparse")
                    .append(c.offsets())
                    .append('/')
                    .append(c.slotBits())
                    .append('/')
                    .append(c.width())
                    .append(',');
        return b.append("match=")
                .append(matchOrder)
                .append('/')
                .append(ringBits)
                .append('/')
                .append(indexBits)
                .append('/')
                .append(stickyMisses)
                .append(",alpha=")
                .append(concentration)
                .append(",d=")
                .append(discount)
                .append(",rate=")
                .append(mixerRate)
                .toString();
    }
}
