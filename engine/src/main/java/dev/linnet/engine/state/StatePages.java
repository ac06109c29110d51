package dev.linnet.engine.state;

import dev.linnet.engine.history.HistoryConfig;
import dev.linnet.engine.history.HistoryState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A {@link StreamState} stored as pages, so that a record writes what it changed rather than the whole state
 * (megabytes with a softmax window and a history). Page 0, the head, holds what every token changes: the
 * lightning matrices, the last hidden state and the history's small parts; the softmax rings are stored in blocks
 * of {@link #RING_ROWS} positions, and the history's tables, ring and index in {@link
 * dev.linnet.engine.history.HistoryPages}. After a record, the head, the ring blocks its positions fell in and the
 * history pages it touched are written; nothing else changed.
 *
 * <pre>
 * head (little-endian)
 *  0      4    magic "LNSP"
 *  4      2    format version (1)
 *  6      1    payload precision (0 float32, 1 bfloat16)
 *  7      1    reserved (0)
 *  8     32    model fingerprint
 * 40      8    tokens seen
 * 48      8    refreshed at: when every stored page was last written together (milliseconds; for state TTL)
 * 56     32    shape: lightning layers, their state size, softmax layers, window, kv width, hidden, ring rows a
 *              block, history pages
 * 88      *    lightning states; the last hidden state; the history's unpaged parts; the directory of history
 *              pages written (one bit each, in 64-bit words)
 * end-4   4    CRC-32 of everything before
 *
 * page p &gt; 0
 *  0      4    page number
 *  4      1    payload precision of a ring block (a history page is always whole ints)
 *  5      *    ring block: the block's rows of keys then of values, per softmax layer's own pages; history page:
 *              its numbers ({@code HistoryPages})
 * end-4   4    CRC-32 of everything before
 * </pre>
 * Ring block b of softmax layer l is page {@code 1 + l * blocksPerLayer + b}; the history's page h is page
 * {@code 1 + windowLayers * blocksPerLayer + h}. A ring block exists once a position fell in it (its rows beyond
 * the filled part are zeros); a history page exists once the directory names it. A page may have been written
 * at another precision than the head (a job restarted with another setting): each page says its own.
 */
public final class StatePages {
    static final int MAGIC = 0x50534e4c; // "LNSP" read little-endian
    public static final int FORMAT_VERSION = 1;
    /** Positions of a softmax ring stored in one page. */
    public static final int RING_ROWS = 8;

    static final int HEAD_FIXED = 88;
    private static final int PAGE_OVERHEAD = 4 + 1 + 4;

    /** Which pages a write stores besides the head. */
    public enum Write {
        /** The ring blocks of positions added since the last write, and the history pages changed since. */
        CHANGED,
        /** Every page that exists (to renew all pages' age, for state TTL). */
        PRESENT,
        /**
         * Every page that exists or holds a number other than zero: the first write of a state that was stored
         * whole, whose history does not know which pages it changed.
         */
        EVERY
    }

    /** Receives the pages of a write; the head comes last. */
    @FunctionalInterface
    public interface PageSink {
        void put(int page, byte[] bytes) throws Exception;
    }

    private final byte[] fingerprint;
    private final String fingerprintHex;
    private final StatePrecision precision;
    private final StateShape shape;
    private final int linearLayers, linearSize, windowLayers, window, kvWidth, hidden;
    private final HistoryConfig history;
    private final int blocksPerLayer;
    private final int historyPages;
    private final int unpagedBytes;
    private final int directoryWords;

    /**
     * @param modelFingerprint the model's hex SHA-256 fingerprint ({@code Model.fingerprint()})
     * @param template         a state of the model's shape ({@code Model.newState()})
     */
    public StatePages(String modelFingerprint, StreamState template, StatePrecision precision) {
        this.fingerprintHex = modelFingerprint;
        this.fingerprint = StateShape.fingerprint(modelFingerprint);
        this.precision = precision;
        this.shape = StateShape.of(template);
        this.linearLayers = shape.linearLayers();
        this.linearSize = shape.linearSize();
        this.windowLayers = shape.windowLayers();
        this.window = shape.window();
        this.kvWidth = shape.kvWidth();
        this.hidden = shape.hidden();
        this.blocksPerLayer = windowLayers == 0 ? 0 : (window + RING_ROWS - 1) / RING_ROWS;
        HistoryState h = template.history();
        this.history = shape.history();
        this.historyPages = h == null ? 0 : h.pages().count();
        this.unpagedBytes = h == null ? 0 : h.unpagedBytes();
        this.directoryWords = (historyPages + 63) >>> 6;
        long head = headBytes(precision);
        if (head > Integer.MAX_VALUE - 8 || (long) RING_ROWS * kvWidth * 2 * 4 + PAGE_OVERHEAD > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a state of this shape is too large to page");
        }
    }

    private long headBytes(StatePrecision p) {
        return HEAD_FIXED
                + ((long) linearLayers * linearSize + hidden) * p.bytes
                + unpagedBytes
                + 8L * directoryWords
                + 4;
    }

    public StatePrecision precision() {
        return precision;
    }

    /** Pages a state of this shape can have, the head included. */
    public int pageCount() {
        return 1 + windowLayers * blocksPerLayer + historyPages;
    }

    /**
     * Writes the head and the pages {@code which} selects, then forgets which history pages changed.
     *
     * @param seenAtLastWrite the state's tokens seen when it was last written or read (for {@link Write#CHANGED})
     * @param refreshedAt     what the head records as the time every page was last written together
     * @return bytes written
     */
    public long write(StreamState s, long seenAtLastWrite, Write which, long refreshedAt, PageSink sink)
            throws Exception {
        shape.check(s);
        long seen = s.tokensSeen();
        if (seenAtLastWrite < 0 || seenAtLastWrite > seen) {
            throw new IllegalArgumentException(
                    "last written at " + seenAtLastWrite + " tokens, but the state has seen " + seen);
        }
        long total = 0;
        if (windowLayers > 0) {
            boolean[] blocks = new boolean[blocksPerLayer];
            int fill = (int) Math.min(seen, window);
            if (which == Write.CHANGED && seen - seenAtLastWrite < window) {
                for (long p = seenAtLastWrite; p < seen; p++) blocks[(int) (p % window) / RING_ROWS] = true;
            } else {
                for (int b = 0; b * RING_ROWS < fill; b++) blocks[b] = true;
            }
            for (int l = 0; l < windowLayers; l++) {
                for (int b = 0; b < blocksPerLayer; b++) {
                    if (!blocks[b]) continue;
                    byte[] page = ringPage(s, l, b);
                    sink.put(1 + l * blocksPerLayer + b, page);
                    total += page.length;
                }
            }
        }
        HistoryState h = s.history();
        if (h != null) {
            for (int p = 0; p < historyPages; p++) {
                boolean write = switch (which) {
                    case CHANGED -> h.changed(p);
                    case PRESENT -> h.present(p);
                    case EVERY -> h.present(p) || h.changed(p) || !h.pageIsZero(p);
                };
                if (!write) continue;
                byte[] page = historyPage(h, p);
                sink.put(historyPageNumber(p), page);
                total += page.length;
            }
            h.clearChanged();
        }
        byte[] head = head(s, refreshedAt);
        sink.put(0, head);
        return total + head.length;
    }

    private int historyPageNumber(int p) {
        return 1 + windowLayers * blocksPerLayer + p;
    }

    private byte[] ringPage(StreamState s, int layer, int block) {
        int rows = Math.min(RING_ROWS, window - block * RING_ROWS);
        int n = rows * kvWidth;
        byte[] out = new byte[PAGE_OVERHEAD + 2 * n * precision.bytes];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1 + layer * blocksPerLayer + block).put((byte) precision.code);
        int from = block * RING_ROWS * kvWidth;
        precision.put(b, s.keys(layer), from, n);
        precision.put(b, s.values(layer), from, n);
        return seal(out, b);
    }

    private byte[] historyPage(HistoryState h, int p) {
        byte[] out = new byte[PAGE_OVERHEAD + h.pages().bytes(h, p)];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(historyPageNumber(p)).put((byte) 0);
        h.writePage(p, b);
        return seal(out, b);
    }

    private byte[] head(StreamState s, long refreshedAt) {
        byte[] out = new byte[(int) headBytes(precision)];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC)
                .putShort((short) FORMAT_VERSION)
                .put((byte) precision.code)
                .put((byte) 0);
        b.put(fingerprint).putLong(s.tokensSeen()).putLong(refreshedAt);
        for (int v : shape()) b.putInt(v);
        for (int l = 0; l < linearLayers; l++) precision.put(b, s.linear(l), 0, linearSize);
        precision.put(b, s.lastHidden(), 0, hidden);
        if (history != null) {
            s.history().writeUnpaged(b);
            for (long w : s.history().presentBits()) b.putLong(w);
        }
        return seal(out, b);
    }

    private int[] shape() {
        return new int[] {linearLayers, linearSize, windowLayers, window, kvWidth, hidden, RING_ROWS, historyPages};
    }

    private static byte[] seal(byte[] out, ByteBuffer b) {
        CRC32 crc = new CRC32();
        crc.update(out, 0, b.position());
        b.putInt((int) crc.getValue());
        if (b.hasRemaining()) throw new IllegalStateException("page size miscounted: " + b.remaining() + " left");
        return out;
    }

    /**
     * The fingerprint of the model that wrote {@code head} (hex), or null when it is not a paged state's head: what
     * a store compares with its model's to tell a state of another model from a corrupt one.
     */
    public static String writer(byte[] head) {
        if (head == null || head.length < HEAD_FIXED + 4) return null;
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != MAGIC) return null;
        return HexFormat.of().formatHex(head, 8, 40);
    }

    public String modelFingerprint() {
        return fingerprintHex;
    }

    /** The time the head records as every page's last common write. */
    public long refreshedAt(byte[] head) {
        checkHead(head);
        return ByteBuffer.wrap(head, 48, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * The state the head and pages describe.
     *
     * @param pages the stored pages by number (the head not needed among them; pages the head does not name are
     *     ignored: what an earlier life of the stream left)
     * @throws MissingPageException when a page the head names is absent (expired with state TTL, or lost)
     * @throws StateFormatException when a page is corrupt or of another model or shape
     */
    public StreamState read(byte[] head, Map<Integer, byte[]> pages) {
        ByteBuffer b = checkHead(head);
        long seen = b.getLong(40);
        b.position(HEAD_FIXED);
        StatePrecision p = StatePrecision.ofCode(head[6]);
        StreamState s = shape.newState();
        s.setTokensSeen(seen);
        for (int l = 0; l < linearLayers; l++) p.get(b, s.linear(l), 0, linearSize);
        p.get(b, s.lastHidden(), 0, hidden);
        HistoryState h = s.history();
        if (h != null) {
            if (!h.readUnpaged(b)) {
                throw new StateFormatException("paged stream state is corrupt: its history's head is inconsistent");
            }
            long[] directory = new long[directoryWords];
            for (int i = 0; i < directoryWords; i++) directory[i] = b.getLong();
            if (!h.setPresentBits(directory) || h.position() != seen) {
                throw new StateFormatException(
                        "paged stream state is corrupt: its history's directory is inconsistent");
            }
        }
        int fill = (int) Math.min(seen, window);
        for (int l = 0; l < windowLayers; l++) {
            for (int blk = 0; blk * RING_ROWS < fill; blk++) {
                ByteBuffer page = page(pages, 1 + l * blocksPerLayer + blk);
                StatePrecision q = StatePrecision.ofCode(page.get());
                int rows = Math.min(RING_ROWS, window - blk * RING_ROWS);
                int n = rows * kvWidth;
                if (q == null || page.remaining() != 2 * n * q.bytes + 4) {
                    throw new StateFormatException("paged stream state is corrupt: ring page "
                            + (1 + l * blocksPerLayer + blk) + " has the wrong size");
                }
                int from = blk * RING_ROWS * kvWidth;
                q.get(page, s.keys(l), from, n);
                q.get(page, s.values(l), from, n);
            }
        }
        if (h != null) {
            for (int hp = 0; hp < historyPages; hp++) {
                if (!h.present(hp)) continue;
                ByteBuffer page = page(pages, historyPageNumber(hp));
                page.get();
                if (page.remaining() != h.pages().bytes(h, hp) + 4) {
                    throw new StateFormatException("paged stream state is corrupt: history page "
                            + historyPageNumber(hp) + " has the wrong size");
                }
                h.readPage(hp, page);
            }
        }
        return s;
    }

    /** A stored page, checked, positioned after its number. */
    private static ByteBuffer page(Map<Integer, byte[]> pages, int number) {
        byte[] bytes = pages.get(number);
        if (bytes == null) throw new MissingPageException(number);
        if (bytes.length < PAGE_OVERHEAD) {
            throw new StateFormatException(
                    "paged stream state is corrupt: page " + number + " is " + bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != b.getInt(bytes.length - 4) || b.getInt() != number) {
            throw new StateFormatException("paged stream state is corrupt: page " + number
                    + " fails its checksum or carries another page's number");
        }
        return b;
    }

    /** The head, checked: magic, version, model, shape, size and checksum; positioned at its start. */
    private ByteBuffer checkHead(byte[] head) {
        if (head == null || head.length < HEAD_FIXED + 4) {
            throw new StateFormatException("not a paged Linnet stream state: "
                    + (head == null ? "null" : head.length + " bytes") + ", shorter than the " + (HEAD_FIXED + 4)
                    + "-byte head");
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != MAGIC) throw new StateFormatException("not a paged Linnet stream state (bad magic)");
        int version = b.getShort(4) & 0xffff;
        if (version != FORMAT_VERSION) {
            throw new StateFormatException("paged stream state format version " + version
                    + " is not supported (this Linnet reads " + FORMAT_VERSION + ")");
        }
        StatePrecision p = StatePrecision.ofCode(head[6]);
        if (p == null) throw new StateFormatException("paged stream state has an unknown payload precision");
        byte[] fp = Arrays.copyOfRange(head, 8, 40);
        if (!Arrays.equals(fp, fingerprint)) {
            throw new StateFormatException("stream state belongs to another model (fingerprint "
                    + HexFormat.of().formatHex(fp).substring(0, 16) + "..., this model is "
                    + fingerprintHex.substring(0, 16) + "...): it cannot be resumed under this model");
        }
        int[] stored = new int[8];
        for (int i = 0; i < 8; i++) stored[i] = b.getInt(56 + 4 * i);
        if (!Arrays.equals(stored, shape())) {
            throw new StateFormatException("paged stream state shape " + Arrays.toString(stored)
                    + " differs from the model's " + Arrays.toString(shape())
                    + " [lightning layers, state size, softmax layers, window, kv width, hidden, ring rows a page,"
                    + " history pages]");
        }
        if (head.length != headBytes(p)) {
            throw new StateFormatException("paged stream state head is truncated or padded: " + head.length
                    + " bytes, expected " + headBytes(p));
        }
        CRC32 crc = new CRC32();
        crc.update(head, 0, head.length - 4);
        if ((int) crc.getValue() != b.getInt(head.length - 4)) {
            throw new StateFormatException("paged stream state is corrupt (head checksum mismatch)");
        }
        if (b.getLong(40) < 0) throw new StateFormatException("paged stream state is corrupt: negative position");
        return b;
    }
}
