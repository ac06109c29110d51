package dev.linnet.engine.state;

import dev.linnet.engine.kernels.Bits16;
import java.nio.ByteBuffer;

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

    /** Writes a[off ..] (len numbers) in this precision; b is little-endian. */
    void put(ByteBuffer b, float[] a, int off, int len) {
        if (this == FLOAT32) {
            b.asFloatBuffer().put(a, off, len); // bulk copy: states are up to megabytes
            b.position(b.position() + 4 * len);
        } else {
            for (int i = 0; i < len; i++) b.putShort(Bits16.floatToBf16(a[off + i]));
        }
    }

    /** Reads len numbers written in this precision into a[off ..]. */
    void get(ByteBuffer b, float[] a, int off, int len) {
        if (this == FLOAT32) {
            b.asFloatBuffer().get(a, off, len);
            b.position(b.position() + 4 * len);
        } else {
            for (int i = 0; i < len; i++) a[off + i] = Bits16.bf16ToFloat(b.getShort());
        }
    }
}
