package dev.linnet.engine.state;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Fuzz target for restored state bytes: any bytes are either a state of exactly the codec's shape (which encodes
 * back to what it decoded from) or refused with a {@link StateFormatException}. A plain test run replays
 * src/test/resources/dev/linnet/engine/state/StateCodecFuzzTestInputs.
 *
 * <p>Input: one control byte, then the state bytes. Bit 0 of the control byte asks for a correct checksum to be
 * written over the last 4 bytes, so that the fuzzer explores what lies behind the checksum check too; bit 1
 * decodes with the bfloat16 codec instead of the float32 one.
 */
class StateCodecFuzzTest {
    /** 2 lightning layers of 8 numbers, 1 softmax layer with a ring of 4 positions of 4 numbers, hidden 6. */
    static final StreamState TEMPLATE = new StreamState(2, 8, 1, 4, 4, 6);

    static final String FINGERPRINT = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static final StateCodec F32 = new StateCodec(FINGERPRINT, TEMPLATE, StatePrecision.FLOAT32);
    private static final StateCodec BF16 = new StateCodec(FINGERPRINT, TEMPLATE, StatePrecision.BFLOAT16);

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int control = input[0];
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        if ((control & 1) != 0 && bytes.length >= 4) {
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 4);
            ByteBuffer.wrap(bytes, bytes.length - 4, 4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt((int) crc.getValue());
        }
        StateCodec codec = (control & 2) != 0 ? BF16 : F32;
        StreamState s;
        try {
            s = codec.decode(bytes);
        } catch (StateFormatException e) {
            check(e.getMessage() != null && !e.getMessage().isBlank(), "an error without a message");
            return;
        }
        check(
                s.linearLayers() == 2
                        && s.linear(0).length == 8
                        && s.windowLayers() == 1
                        && s.window() == 4
                        && s.keys(0).length == 16
                        && s.values(0).length == 16
                        && s.lastHidden().length == 6,
                "shape");
        // what decodes encodes again, and decodes to the same state
        StateCodec same = bytes[6] == StatePrecision.BFLOAT16.code ? BF16 : F32;
        StreamState again = codec.decode(same.encode(s));
        check(again.sameAs(s), "round trip");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
