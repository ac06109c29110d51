package dev.linnet.engine.history;

import java.util.Arrays;

/**
 * One stream's history, of a fixed size whatever the stream's length: the context tables, the ring of recent
 * tokens with its index, the match model's pointer and hit rates, and the mixing weights. The arrays are
 * exposed for {@link HistoryMixture} and the state codec; callers treat a history as opaque.
 */
public final class HistoryState {
    private final HistoryConfig config;
    /** Per context order: each slot's check (0: empty), then its (token + 1) << 8 | count entries. */
    final int[][] checks;

    final int[][] entries;
    /** Token at position p in entry p % ring length. */
    final int[] ring;
    /** Per context hash: (position + 1) mod 2^31 just after the context last occurred; 0 for none. */
    final int[] index;

    final int[] matchHits;
    final int[] matchTries;
    long matchPointer = -1;
    int matchLength;
    int matchMisses;
    /** Mixing weights (logits) per class and component. */
    final double[] mixer;

    long position;

    public HistoryState(HistoryConfig config) {
        this.config = config;
        int k = config.orders().size();
        checks = new int[k][];
        entries = new int[k][];
        for (int j = 0; j < k; j++) {
            HistoryConfig.ContextOrder o = config.orders().get(j);
            checks[j] = new int[1 << o.slotBits()];
            entries[j] = new int[(1 << o.slotBits()) * o.width()];
        }
        ring = new int[1 << config.ringBits()];
        index = new int[1 << config.indexBits()];
        matchHits = new int[HistoryConfig.MATCH_BUCKETS];
        matchTries = new int[HistoryConfig.MATCH_BUCKETS];
        mixer = new double[config.mixerClasses() * config.components()];
    }

    private HistoryState(HistoryState o) {
        config = o.config;
        checks = deepCopy(o.checks);
        entries = deepCopy(o.entries);
        ring = o.ring.clone();
        index = o.index.clone();
        matchHits = o.matchHits.clone();
        matchTries = o.matchTries.clone();
        matchPointer = o.matchPointer;
        matchLength = o.matchLength;
        matchMisses = o.matchMisses;
        mixer = o.mixer.clone();
        position = o.position;
    }

    private static int[][] deepCopy(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    public HistoryState copy() {
        return new HistoryState(this);
    }

    public HistoryConfig config() {
        return config;
    }

    /** Tokens this history has observed. */
    public long position() {
        return position;
    }

    /** Exact equality of every number, for determinism tests. */
    public boolean sameAs(HistoryState o) {
        return config.equals(o.config)
                && position == o.position
                && matchPointer == o.matchPointer
                && matchLength == o.matchLength
                && matchMisses == o.matchMisses
                && Arrays.deepEquals(checks, o.checks)
                && Arrays.deepEquals(entries, o.entries)
                && Arrays.equals(ring, o.ring)
                && Arrays.equals(index, o.index)
                && Arrays.equals(matchHits, o.matchHits)
                && Arrays.equals(matchTries, o.matchTries)
                && Arrays.equals(mixer, o.mixer);
    }

    public long memoryBytes() {
        return config.stateBytes();
    }

    /** Every int of the history in a fixed order, then its doubles: what the codec writes and reads back. */
    public void writeTo(java.nio.ByteBuffer b) {
        b.putLong(position).putLong(matchPointer).putInt(matchLength).putInt(matchMisses);
        for (int j = 0; j < checks.length; j++) {
            putInts(b, checks[j]);
            putInts(b, entries[j]);
        }
        putInts(b, ring);
        putInts(b, index);
        putInts(b, matchHits);
        putInts(b, matchTries);
        b.asDoubleBuffer().put(mixer);
        b.position(b.position() + 8 * mixer.length);
    }

    /** Reads what {@link #writeTo} wrote; false when a value is out of its range (a corrupt state). */
    public boolean readFrom(java.nio.ByteBuffer b) {
        position = b.getLong();
        matchPointer = b.getLong();
        matchLength = b.getInt();
        matchMisses = b.getInt();
        for (int j = 0; j < checks.length; j++) {
            getInts(b, checks[j]);
            getInts(b, entries[j]);
        }
        getInts(b, ring);
        getInts(b, index);
        getInts(b, matchHits);
        getInts(b, matchTries);
        b.asDoubleBuffer().get(mixer);
        b.position(b.position() + 8 * mixer.length);
        return valid();
    }

    /** Bytes {@link #writeTo} writes: the same as {@link HistoryConfig#stateBytes()}. */
    public int encodedBytes() {
        return Math.toIntExact(config.stateBytes());
    }

    private boolean valid() {
        if (position < 0 || matchPointer < -1 || matchPointer > position || matchLength < 0 || matchMisses < 0) {
            return false;
        }
        for (int i = 0; i < matchHits.length; i++) {
            if (matchHits[i] < 0 || matchTries[i] < matchHits[i]) return false;
        }
        for (double w : mixer) if (!Double.isFinite(w)) return false;
        return true;
    }

    private static void putInts(java.nio.ByteBuffer b, int[] a) {
        b.asIntBuffer().put(a);
        b.position(b.position() + 4 * a.length);
    }

    private static void getInts(java.nio.ByteBuffer b, int[] a) {
        b.asIntBuffer().get(a);
        b.position(b.position() + 4 * a.length);
    }
}
