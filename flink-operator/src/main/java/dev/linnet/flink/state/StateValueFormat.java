package dev.linnet.flink.state;

import dev.linnet.engine.kernels.Bits16;
import dev.linnet.engine.state.StreamState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The stored form of one stream's state under a {@link StateSchema}:
 * <pre>
 *   byte  payload tag (1 = float32, 2 = bfloat16)
 *   long  tokens seen
 *   the numbers, little-endian: each lightning layer's matrix, each softmax layer's key ring then value
 *   ring, then the last hidden state
 * </pre>
 * The model fingerprint and shapes are not repeated per value: the serializer snapshot carries them once
 * for the whole state. The numbers go through one bulk buffer, not one call per number (a state can be
 * megabytes).
 */
final class StateValueFormat {

    private static final int HEADER_BYTES = 1 + Long.BYTES;

    private StateValueFormat() {}

    /** Bytes of one value written at {@code precision}. */
    static long valueBytes(StateSchema schema, PayloadPrecision precision) {
        return HEADER_BYTES + schema.numbersPerState() * precision.bytesPerNumber();
    }

    static void write(StateSchema schema, StreamState s, DataOutputView out) throws IOException {
        if (!schema.fits(s)) {
            throw new IllegalArgumentException("a stream state of another shape was handed to the serializer for "
                    + schema.describe() + ": it has " + s.linearLayers() + " lightning layers, " + s.windowLayers()
                    + " softmax layers, window " + s.window() + ", hidden " + s.lastHidden().length);
        }
        PayloadPrecision p = schema.precision();
        out.writeByte(p.tag());
        out.writeLong(s.tokensSeen());
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(schema.numbersPerState() * p.bytesPerNumber()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < s.linearLayers(); i++) {
            put(buf, s.linear(i), p);
        }
        for (int i = 0; i < s.windowLayers(); i++) {
            put(buf, s.keys(i), p);
            put(buf, s.values(i), p);
        }
        put(buf, s.lastHidden(), p);
        out.write(buf.array());
    }

    static StreamState read(StateSchema schema, DataInputView in) throws IOException {
        PayloadPrecision p = PayloadPrecision.ofTag(in.readByte());
        long tokensSeen = in.readLong();
        if (tokensSeen < 0) {
            throw new IllegalStateException("corrupt Linnet stream state: tokens seen is " + tokensSeen);
        }
        byte[] bytes = new byte[Math.toIntExact(schema.numbersPerState() * p.bytesPerNumber())];
        in.readFully(bytes);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        StreamState s = schema.newState();
        s.setTokensSeen(tokensSeen);
        for (int i = 0; i < s.linearLayers(); i++) {
            get(buf, s.linear(i), p);
        }
        for (int i = 0; i < s.windowLayers(); i++) {
            get(buf, s.keys(i), p);
            get(buf, s.values(i), p);
        }
        get(buf, s.lastHidden(), p);
        return s;
    }

    /** Copies one value from {@code in} to {@code out} without decoding its numbers. */
    static void copy(StateSchema schema, DataInputView in, DataOutputView out) throws IOException {
        byte tag = in.readByte();
        PayloadPrecision p = PayloadPrecision.ofTag(tag);
        out.writeByte(tag);
        out.write(in, Math.toIntExact(valueBytes(schema, p) - 1));
    }

    private static void put(ByteBuffer buf, float[] a, PayloadPrecision p) {
        if (p == PayloadPrecision.FLOAT32) {
            buf.asFloatBuffer().put(a);
            buf.position(buf.position() + a.length * Float.BYTES);
        } else {
            for (float f : a) {
                buf.putShort(Bits16.floatToBf16(f));
            }
        }
    }

    private static void get(ByteBuffer buf, float[] a, PayloadPrecision p) {
        if (p == PayloadPrecision.FLOAT32) {
            buf.asFloatBuffer().get(a);
            buf.position(buf.position() + a.length * Float.BYTES);
        } else {
            for (int i = 0; i < a.length; i++) {
                a[i] = Bits16.bf16ToFloat(buf.getShort());
            }
        }
    }
}
