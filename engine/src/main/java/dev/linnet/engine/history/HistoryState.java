package dev.linnet.engine.history;

import java.util.Arrays;

/**
 * One stream's history, of a fixed size whatever the stream's length: the context tables, the ring of recent
 * tokens with its index, the match model's pointer and hit rates, and the mixing weights. The arrays are
 * exposed for {@link HistoryMixture} and the state codec; callers treat a history as opaque.
 */
public final class HistoryState {
    private final HistoryConfig config;
    /**
     * Per context table (the orders', then the sparse contexts'): each slot's check (0: empty), then its
     * (token + 1) << 8 | count entries.
     */
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

    /** How the large arrays are cut into pages, for a store that writes only changed pages. */
    private final HistoryPages pages;
    /** Pages changed since {@link #clearChanged()}, and pages ever written (a bit per page). */
    private final long[] changed;

    private final long[] present;

    public HistoryState(HistoryConfig config) {
        this.config = config;
        this.pages = new HistoryPages(config);
        this.changed = new long[(pages.count() + 63) >>> 6];
        this.present = new long[changed.length];
        int k = config.orders().size();
        checks = new int[config.tables()][];
        entries = new int[config.tables()][];
        for (int j = 0; j < k; j++) {
            HistoryConfig.ContextOrder o = config.orders().get(j);
            checks[j] = new int[1 << o.slotBits()];
            entries[j] = new int[(1 << o.slotBits()) * o.width()];
        }
        for (int j = 0; j < config.sparse().size(); j++) {
            HistoryConfig.SparseContext c = config.sparse().get(j);
            checks[k + j] = new int[1 << c.slotBits()];
            entries[k + j] = new int[(1 << c.slotBits()) * c.width()];
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
        pages = o.pages;
        changed = o.changed.clone();
        present = o.present.clone();
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

    /** How this history's large arrays are paged. */
    public HistoryPages pages() {
        return pages;
    }

    /** Marks the page of a context table's slot as changed. */
    void touchSlot(int table, int slot) {
        touch(pages.ofSlot(table, slot));
    }

    void touchRing(int entry) {
        touch(pages.ofRing(entry));
    }

    void touchIndex(int entry) {
        touch(pages.ofIndex(entry));
    }

    private void touch(int page) {
        changed[page >>> 6] |= 1L << page;
        present[page >>> 6] |= 1L << page;
    }

    /** Whether {@code page} changed since {@link #clearChanged()} (or since this history was made). */
    public boolean changed(int page) {
        return (changed[page >>> 6] & (1L << page)) != 0;
    }

    /** Whether {@code page} was ever changed: a page never changed holds zeros and need not be stored. */
    public boolean present(int page) {
        return (present[page >>> 6] & (1L << page)) != 0;
    }

    /** Whether {@code page} holds only zeros (a page never written does). */
    public boolean pageIsZero(int page) {
        return pages.isZero(this, page);
    }

    /** Forgets which pages changed (after they were stored). */
    public void clearChanged() {
        java.util.Arrays.fill(changed, 0);
    }

    /** The present pages as a bit set (bit p of word p / 64), as a store's directory records them. */
    public long[] presentBits() {
        return present.clone();
    }

    /** Sets which pages are present, from a directory {@link #presentBits()} gave; false if it names no page. */
    public boolean setPresentBits(long[] bits) {
        if (bits.length != present.length) return false;
        int tail = pages.count() & 63;
        if (tail != 0 && (bits[bits.length - 1] >>> tail) != 0) return false;
        System.arraycopy(bits, 0, present, 0, bits.length);
        return true;
    }

    /** Writes {@code page}'s numbers ({@link HistoryPages#bytes} of them) and marks it present. */
    public void writePage(int page, java.nio.ByteBuffer b) {
        pages.write(this, page, b);
        present[page >>> 6] |= 1L << page;
    }

    /** Reads a page {@link #writePage} wrote. */
    public void readPage(int page, java.nio.ByteBuffer b) {
        pages.read(this, page, b);
    }

    /** Bytes of the parts not paged ({@link #writeUnpaged}). */
    public int unpagedBytes() {
        return 24 + 4 * (matchHits.length + matchTries.length) + 8 * mixer.length;
    }

    /** The parts that change with every token: position, match fields, hit rates, mixing weights. */
    public void writeUnpaged(java.nio.ByteBuffer b) {
        putPointer(b);
        putRates(b);
    }

    /** Reads what {@link #writeUnpaged} wrote; false when it is not a valid history's. */
    public boolean readUnpaged(java.nio.ByteBuffer b) {
        try {
            getPointer(b);
            getRates(b);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            return false;
        }
        return valid();
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

    /**
     * The history in a fixed order: position and match fields, then each table, the ring and the index (each
     * dense, or as its non-zero entries when that is shorter: a young stream's tables are mostly empty), then
     * the hit rates and the mixing weights. What the codec writes and reads back.
     */
    public void writeTo(java.nio.ByteBuffer b) {
        putPointer(b);
        for (int j = 0; j < checks.length; j++) {
            putInts(b, checks[j]);
            putInts(b, entries[j]);
        }
        putInts(b, ring);
        putInts(b, index);
        putRates(b);
    }

    /** Position and the match model's pointer, length and misses: 24 bytes. */
    private void putPointer(java.nio.ByteBuffer b) {
        b.putLong(position).putLong(matchPointer).putInt(matchLength).putInt(matchMisses);
    }

    private void getPointer(java.nio.ByteBuffer b) {
        position = b.getLong();
        matchPointer = b.getLong();
        matchLength = b.getInt();
        matchMisses = b.getInt();
    }

    /** The match model's hit rates and the mixing weights. */
    private void putRates(java.nio.ByteBuffer b) {
        putDense(b, matchHits);
        putDense(b, matchTries);
        b.asDoubleBuffer().put(mixer);
        b.position(b.position() + 8 * mixer.length);
    }

    private void getRates(java.nio.ByteBuffer b) {
        getDense(b, matchHits);
        getDense(b, matchTries);
        b.asDoubleBuffer().get(mixer);
        b.position(b.position() + 8 * mixer.length);
    }

    /**
     * Reads what {@link #writeTo} wrote; false when the bytes do not describe a history of this configuration
     * (a corrupt state). Never reads past the buffer's limit.
     */
    public boolean readFrom(java.nio.ByteBuffer b) {
        try {
            getPointer(b);
            for (int j = 0; j < checks.length; j++) {
                if (!getInts(b, checks[j]) || !getInts(b, entries[j])) return false;
            }
            if (!getInts(b, ring) || !getInts(b, index)) return false;
            getRates(b);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            return false;
        }
        return valid();
    }

    /** Bytes {@link #writeTo} writes for this history now. */
    public int encodedBytes() {
        long n = 24;
        for (int j = 0; j < checks.length; j++) n += intsBytes(checks[j]) + intsBytes(entries[j]);
        n += intsBytes(ring) + intsBytes(index) + 4L * (matchHits.length + matchTries.length) + 8L * mixer.length;
        return Math.toIntExact(n);
    }

    /** The most bytes {@link #writeTo} writes for any history of this configuration (every array dense). */
    public static long maxEncodedBytes(HistoryConfig config) {
        int arrays = 2 * config.tables() + 2;
        return config.stateBytes() + arrays; // the same numbers, and a mode byte an array
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

    private static final byte DENSE = 0, SPARSE = 1;

    private static int nonZero(int[] a) {
        int m = 0;
        for (int v : a) if (v != 0) m++;
        return m;
    }

    private static long intsBytes(int[] a) {
        return 1 + Math.min(4L * a.length, 4 + 8L * nonZero(a));
    }

    private static void putInts(java.nio.ByteBuffer b, int[] a) {
        int m = nonZero(a);
        if (4 + 8L * m < 4L * a.length) {
            b.put(SPARSE).putInt(m);
            for (int i = 0; i < a.length; i++) if (a[i] != 0) b.putInt(i).putInt(a[i]);
        } else {
            b.put(DENSE);
            putDense(b, a);
        }
    }

    private static void putDense(java.nio.ByteBuffer b, int[] a) {
        b.asIntBuffer().put(a);
        b.position(b.position() + 4 * a.length);
    }

    /** False when the entries are out of order, out of range or zero (a corrupt state). */
    private static boolean getInts(java.nio.ByteBuffer b, int[] a) {
        byte mode = b.get();
        if (mode == DENSE) {
            getDense(b, a);
            return true;
        }
        if (mode != SPARSE) return false;
        int m = b.getInt();
        if (m < 0 || m > a.length || 8L * m > b.remaining()) return false;
        java.util.Arrays.fill(a, 0);
        int last = -1;
        for (int k = 0; k < m; k++) {
            int i = b.getInt(), v = b.getInt();
            if (i <= last || i >= a.length || v == 0) return false;
            a[i] = v;
            last = i;
        }
        return true;
    }

    private static void getDense(java.nio.ByteBuffer b, int[] a) {
        b.asIntBuffer().get(a);
        b.position(b.position() + 4 * a.length);
    }
}
