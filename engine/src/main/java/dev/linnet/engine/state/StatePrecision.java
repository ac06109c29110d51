package dev.linnet.engine.state;

/** How the numbers of an encoded state are stored. */
public enum StatePrecision {
    /** Exact: the decoded state continues bit for bit as the original would. */
    FLOAT32(0, 4),
    /** Half the bytes; the state is rounded to bfloat16 (round-to-nearest-even) when encoded. */
    BFLOAT16(1, 2);

    final int code;
    final int bytes;

    StatePrecision(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    static StatePrecision ofCode(int code) {
        for (StatePrecision p : values()) if (p.code == code) return p;
        return null;
    }
}
