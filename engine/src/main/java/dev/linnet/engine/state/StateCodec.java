package dev.linnet.engine.state;

import dev.linnet.engine.kernels.Bits16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The compact, versioned binary form of a {@link StreamState}, made for Flink keyed state: one encode per
 * record batch, one cheap decode on restore.
 *
 * <pre>
 * offset size  field (little-endian)
 *  0      4    magic "LNST"
 *  4      2    format version (1; 2 when the model has a history predictor)
 *  6      1    payload precision (0 float32, 1 bfloat16)
 *  7      1    reserved (0)
 *  8     32    model fingerprint (SHA-256 of config and weights): never resumed under another model
 * 40      8    tokens seen
 * 48     28    shape: lightning layers, their state size, softmax layers, window, kv width, hidden, ring fill
 * 76      *    lightning states; per softmax layer the ring's filled keys then values, oldest first;
 *              the last hidden state
 *      *       version 2 only: the history ({@code HistoryState.writeTo}: its position, match pointer,
 *              context tables, ring, index, hit rates, mixing weights), exact; a mostly empty table is
 *              written as its non-zero entries
 * end-4   4    CRC-32 of everything before
 * </pre>
 * Only the filled part of a ring is written, so a young stream's state is small.
 */
public final class StateCodec {
    static final int MAGIC = 0x54534e4c; // "LNST" read little-endian
    public static final int FORMAT_VERSION = 1;
    /** The format of a state with a history: version 1's layout with the history before the checksum. */
    public static final int FORMAT_VERSION_HISTORY = 2;

    static final int HEADER_BYTES = 76;

    private final byte[] fingerprint;
    private final String fingerprintHex;
    private final StatePrecision precision;
    private final StateShape shape;
    private final int linearLayers, linearSize, windowLayers, window, kvWidth, hidden;
    private final dev.linnet.engine.history.HistoryConfig history;
    private final int historyBytes;

    /**
     * @param modelFingerprint the model's hex SHA-256 fingerprint ({@code Model.fingerprint()})
     * @param template         a state of the model's shape ({@code Model.newState()})
     */
    public StateCodec(String modelFingerprint, StreamState template, StatePrecision precision) {
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
        this.history = shape.history();
        this.historyBytes = template.history() == null
                ? 0
                : Math.toIntExact(dev.linnet.engine.history.HistoryState.maxEncodedBytes(
                        template.history().config()));
        long full = (long) linearLayers * linearSize + 2L * windowLayers * window * kvWidth + hidden;
        if (HEADER_BYTES + 4 + 4 * full + historyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a state of " + full + " numbers is too large to encode in one array");
        }
    }

    public StatePrecision precision() {
        return precision;
    }

    public String modelFingerprint() {
        return fingerprintHex;
    }

    /**
     * Bytes of the encoded form of a stream that has seen this many tokens (it grows until the window fills); for
     * a model with a history, the most it can be (the history's tables are written sparsely while they are
     * mostly empty): {@link #encodedSize(StreamState)} gives a state's exact size.
     */
    public int encodedSize(long tokensSeen) {
        long fill = Math.min(tokensSeen, window);
        long values = (long) linearLayers * linearSize + 2L * windowLayers * fill * kvWidth + hidden;
        return Math.toIntExact(HEADER_BYTES + values * precision.bytes + historyBytes + 4);
    }

    /** Bytes of the encoded form of this state. */
    public int encodedSize(StreamState s) {
        int full = encodedSize(s.tokensSeen());
        return history == null ? full : full - historyBytes + s.history().encodedBytes();
    }

    private int version() {
        return history == null ? FORMAT_VERSION : FORMAT_VERSION_HISTORY;
    }

    public byte[] encode(StreamState s) {
        shape.check(s);
        int fill = (int) Math.min(s.tokensSeen(), window);
        byte[] out = new byte[encodedSize(s)];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putShort((short) version()).put((byte) precision.code).put((byte) 0);
        b.put(fingerprint).putLong(s.tokensSeen());
        b.putInt(linearLayers)
                .putInt(linearSize)
                .putInt(windowLayers)
                .putInt(window)
                .putInt(kvWidth)
                .putInt(hidden)
                .putInt(fill);
        for (int l = 0; l < linearLayers; l++) precision.put(b, s.linear(l), 0, linearSize);
        long first = s.tokensSeen() - fill;
        for (int l = 0; l < windowLayers; l++) {
            for (float[] ring : new float[][] {s.keys(l), s.values(l)}) {
                for (long p = first; p < s.tokensSeen(); p++)
                    precision.put(b, ring, (int) (p % window) * kvWidth, kvWidth);
            }
        }
        precision.put(b, s.lastHidden(), 0, hidden);
        if (history != null) s.history().writeTo(b);
        CRC32 crc = new CRC32();
        crc.update(out, 0, b.position());
        b.putInt((int) crc.getValue());
        return out;
    }

    public StreamState decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES + 4) {
            throw new StateFormatException(
                    "not a Linnet stream state: " + (bytes == null ? "null" : bytes.length + " bytes")
                            + ", shorter than the " + (HEADER_BYTES + 4) + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != MAGIC) throw new StateFormatException("not a Linnet stream state (bad magic)");
        int version = b.getShort() & 0xffff;
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_HISTORY) {
            throw new StateFormatException("stream state format version " + version
                    + " is not supported (this Linnet reads " + FORMAT_VERSION + " and " + FORMAT_VERSION_HISTORY
                    + ")");
        }
        if (version != version()) {
            throw new StateFormatException(
                    version == FORMAT_VERSION_HISTORY
                            ? "stream state carries a history predictor's state, but this model has none"
                            : "stream state has no history predictor's state, but this model mixes one in");
        }
        StatePrecision p = StatePrecision.ofCode(b.get());
        if (p == null) throw new StateFormatException("stream state has an unknown payload precision");
        b.get();
        byte[] fp = new byte[32];
        b.get(fp);
        if (!java.util.Arrays.equals(fp, fingerprint)) {
            throw new StateFormatException("stream state belongs to another model (fingerprint "
                    + HexFormat.of().formatHex(fp).substring(0, 16) + "..., this model is "
                    + fingerprintHex.substring(0, 16)
                    + "...): it cannot be resumed under this model");
        }
        long seen = b.getLong();
        int[] stored = {b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt()};
        int fill = b.getInt();
        int[] mine = {linearLayers, linearSize, windowLayers, window, kvWidth, hidden};
        if (!java.util.Arrays.equals(stored, mine)) {
            throw new StateFormatException("stream state shape " + java.util.Arrays.toString(stored)
                    + " differs from the model's " + java.util.Arrays.toString(mine)
                    + " [lightning layers, state size, softmax layers, window, kv width, hidden]");
        }
        if (seen < 0 || fill != Math.min(seen, window)) {
            throw new StateFormatException(
                    "stream state is corrupt: " + seen + " tokens seen but " + fill + " ring entries");
        }
        int expected = HEADER_BYTES
                + ((int) (encodedSize(seen) - HEADER_BYTES - historyBytes - 4) / precision.bytes) * p.bytes
                + historyBytes
                + 4;
        // with a history, its sparse tables make the state shorter than the most it can be
        if (history == null
                ? bytes.length != expected
                : bytes.length > expected || bytes.length < expected - historyBytes) {
            throw new StateFormatException(
                    "stream state is truncated or padded: " + bytes.length + " bytes, expected " + expected);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue()
                != ByteBuffer.wrap(bytes, bytes.length - 4, 4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getInt()) {
            throw new StateFormatException("stream state is corrupt (checksum mismatch)");
        }
        StreamState s = shape.newState();
        s.setTokensSeen(seen);
        for (int l = 0; l < linearLayers; l++) p.get(b, s.linear(l), 0, linearSize);
        long first = seen - fill;
        for (int l = 0; l < windowLayers; l++) {
            for (float[] ring : new float[][] {s.keys(l), s.values(l)}) {
                for (long q = first; q < seen; q++) p.get(b, ring, (int) (q % window) * kvWidth, kvWidth);
            }
        }
        p.get(b, s.lastHidden(), 0, hidden);
        if (history != null) {
            ByteBuffer h =
                    b.slice(b.position(), bytes.length - 4 - b.position()).order(ByteOrder.LITTLE_ENDIAN);
            if (!s.history().readFrom(h) || h.hasRemaining() || s.history().position() != seen) {
                throw new StateFormatException("stream state is corrupt: its history is inconsistent");
            }
        }
        return s;
    }

    /**
     * Rounds a live state to what decoding its encoded form gives (a no-op for FLOAT32). An operator that
     * keeps states in memory between checkpoints calls this after each encode, so a run restored from a
     * checkpoint continues bit for bit like one that never stopped.
     */
    public void roundInPlace(StreamState s) {
        if (precision == StatePrecision.FLOAT32) return;
        for (int l = 0; l < s.linearLayers(); l++) round(s.linear(l));
        for (int l = 0; l < s.windowLayers(); l++) {
            round(s.keys(l));
            round(s.values(l));
        }
        round(s.lastHidden());
    }

    private static void round(float[] a) {
        for (int i = 0; i < a.length; i++) a[i] = Bits16.bf16ToFloat(Bits16.floatToBf16(a[i]));
    }
}
