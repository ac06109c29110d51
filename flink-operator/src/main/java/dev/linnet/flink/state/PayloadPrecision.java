package dev.linnet.flink.state;

/**
 * How the numbers of a stream's state are stored in Flink state. The state in memory is always float32;
 * BFLOAT16 halves the bytes every RocksDB access and every checkpoint moves, at the cost of rounding the
 * state each time it is written back (results then differ slightly from an uninterrupted float32 run).
 */
public enum PayloadPrecision {
    FLOAT32((byte) 1, 4),
    BFLOAT16((byte) 2, 2);

    private final byte tag;
    private final int bytesPerNumber;

    PayloadPrecision(byte tag, int bytesPerNumber) {
        this.tag = tag;
        this.bytesPerNumber = bytesPerNumber;
    }

    /** The byte that opens each stored value, so a value says how it was written. */
    byte tag() {
        return tag;
    }

    int bytesPerNumber() {
        return bytesPerNumber;
    }

    static PayloadPrecision ofTag(byte tag) {
        for (PayloadPrecision p : values()) {
            if (p.tag == tag) {
                return p;
            }
        }
        throw new IllegalStateException("not a Linnet stream state value: unknown payload tag " + tag
                + " (expected 1 for float32 or 2 for bfloat16); the state is corrupt or was written by another serializer");
    }
}
