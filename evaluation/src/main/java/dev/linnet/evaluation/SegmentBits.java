package dev.linnet.evaluation;

/**
 * The bits a model spends on a byte stream, whole and in equal parts of its bytes (the quarters of a file,
 * the tenths of a long stream). A token counts in the part that holds its first byte; each part's bits are
 * divided by that part's bytes.
 *
 * <p>Bits are tallied in fixed point, in units of 2^-20 bit (about the precision of a float surprisal near
 * 5 nats), so that the parts add up to the whole exactly whatever the order of the additions: every figure
 * is a whole number of units below 2^53, which a double holds exactly, and so does any sum of them.
 */
public final class SegmentBits {
    /** One unit of the tally, in bits. */
    static final double UNIT = 0x1p-20;

    private static final double UNITS_PER_NAT = 1 / (Math.log(2) * UNIT);
    /** Tallies stay below this many units so that doubles hold them, and their sums, exactly. */
    private static final long MAX_UNITS = 1L << 53;

    private final long bytes;
    private final int parts;
    private final long[] units;
    private final long[] tokens;
    private final long[] nonFinite;
    private long totalUnits;

    /** A tally over a stream of {@code bytes} bytes cut into {@code parts} parts of (nearly) equal bytes. */
    public SegmentBits(long bytes, int parts) {
        if (bytes < 0) throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
        if (parts <= 0) throw new IllegalArgumentException("parts must be positive, got " + parts);
        this.bytes = bytes;
        this.parts = parts;
        this.units = new long[parts];
        this.tokens = new long[parts];
        this.nonFinite = new long[parts];
    }

    public int parts() {
        return parts;
    }

    /** The stream's bytes. */
    public long bytes() {
        return bytes;
    }

    /** First byte of part k: part k is [ceil(k*bytes/parts), ceil((k+1)*bytes/parts)). */
    public long partStart(int k) {
        if (k < 0 || k > parts) throw new IndexOutOfBoundsException("part " + k + " of " + parts);
        return (k * bytes + parts - 1) / parts;
    }

    public long partBytes(int k) {
        return partStart(k + 1) - partStart(k);
    }

    /** The part holding byte {@code offset} (the stream's end counts in the last part). */
    public int partOf(long offset) {
        if (offset < 0 || offset > bytes)
            throw new IllegalArgumentException("byte " + offset + " is outside a stream of " + bytes);
        if (offset == bytes) return parts - 1;
        // offset >= ceil(k*bytes/parts) exactly when offset*parts/bytes >= k
        return (int) (offset * parts / bytes);
    }

    /** Counts one token whose first byte is {@code firstByte} and whose surprisal is {@code nats}. */
    public void add(long firstByte, double nats) {
        int k = partOf(firstByte);
        tokens[k]++;
        if (!Double.isFinite(nats)) {
            nonFinite[k]++;
            return;
        }
        long u = Math.round(nats * UNITS_PER_NAT);
        units[k] = Math.addExact(units[k], u);
        totalUnits = Math.addExact(totalUnits, u);
        if (Math.abs(totalUnits) >= MAX_UNITS) throw new ArithmeticException("stream too long for the bit tally");
    }

    /** Tokens counted in part k. */
    public long tokens(int k) {
        return tokens[k];
    }

    /** Tokens counted, all parts. */
    public long tokens() {
        long n = 0;
        for (long t : tokens) n += t;
        return n;
    }

    /** Tokens whose surprisal was NaN or infinite (left out of the bits; their parts' figures are NaN). */
    public long nonFinite() {
        long n = 0;
        for (long t : nonFinite) n += t;
        return n;
    }

    /** Bits of part k; NaN when one of its tokens had no finite surprisal. */
    public double bits(int k) {
        return nonFinite[k] > 0 ? Double.NaN : units[k] * UNIT;
    }

    /** Bits of the whole stream (the sum of the parts' bits, exactly); NaN when a token had no finite surprisal. */
    public double bits() {
        return nonFinite() > 0 ? Double.NaN : totalUnits * UNIT;
    }

    /** Part k's bits per byte; NaN for an empty part. */
    public double bitsPerByte(int k) {
        long b = partBytes(k);
        return b == 0 ? Double.NaN : bits(k) / b;
    }

    /** The whole stream's bits per byte; NaN for an empty stream. */
    public double bitsPerByte() {
        return bytes == 0 ? Double.NaN : bits() / bytes;
    }

    /** The last part's bits per byte over the first's: below 1 when the model learns the stream as it goes. */
    public double lastOverFirst() {
        return bitsPerByte(parts - 1) / bitsPerByte(0);
    }
}
