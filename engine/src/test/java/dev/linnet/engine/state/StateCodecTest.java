package dev.linnet.engine.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.testing.TinyHybridModelTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StateCodecTest extends TinyHybridModelTest {
    /** Fresh, younger than the window (48), and past it: the ring's fill and wrap-around are both covered. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 30, 48, 131})
    void float32RoundTripIsExactAndContinuesBitForBit(int seen) {
        StateCodec codec = model.stateCodec(StatePrecision.FLOAT32);
        StreamState s = model.newState();
        if (seen > 0) model.forward(s, tokens(seen, seen), ForwardOptions.DEFAULT);
        byte[] bytes = codec.encode(s);
        assertEquals(codec.encodedSize(seen), bytes.length);
        StreamState back = codec.decode(bytes);
        assertTrue(s.sameAs(back));
        int[] next = tokens(99, 25);
        float[] a = model.forward(s, next, ForwardOptions.DEFAULT).surprisal();
        float[] b = model.forward(back, next, ForwardOptions.DEFAULT).surprisal();
        assertArrayEquals(a, b);
        assertTrue(s.sameAs(back));
    }

    @Test
    void bfloat16HalvesThePayloadAndRoundInPlaceMatchesDecode() {
        StateCodec f32 = model.stateCodec(StatePrecision.FLOAT32);
        StateCodec bf16 = model.stateCodec(StatePrecision.BFLOAT16);
        StreamState s = model.newState();
        model.forward(s, tokens(5, 200), ForwardOptions.DEFAULT);
        byte[] small = bf16.encode(s);
        byte[] big = f32.encode(s);
        assertEquals(StateCodec.HEADER_BYTES + 4 + (big.length - StateCodec.HEADER_BYTES - 4) / 2, small.length);
        StreamState decoded = bf16.decode(small);
        bf16.roundInPlace(s);
        assertTrue(s.sameAs(decoded), "a live state rounded in place equals its decoded form");
        // either codec reads either precision
        assertTrue(f32.decode(small).sameAs(decoded));
        // and the rounded state is close to the exact one
        StreamState exact = f32.decode(big);
        float maxDiff = 0;
        for (int l = 0; l < exact.linearLayers(); l++) {
            for (int i = 0; i < exact.linear(l).length; i++) {
                maxDiff = Math.max(
                        maxDiff,
                        Math.abs(exact.linear(l)[i] - decoded.linear(l)[i])
                                / Math.max(1f, Math.abs(exact.linear(l)[i])));
            }
        }
        assertTrue(maxDiff < 1e-2f, "bf16 keeps ~3 significant digits, got relative " + maxDiff);
        System.out.printf(
                "state size for %s after 200 tokens: float32 %d bytes, bfloat16 %d bytes (in memory %d)%n",
                "minimax-tiny-hybrid", big.length, small.length, s.memoryBytes());
    }

    @Test
    void refusesAnotherModelsState() {
        StreamState s = model.newState();
        model.forward(s, tokens(1, 10), ForwardOptions.DEFAULT);
        byte[] bytes = model.stateCodec(StatePrecision.FLOAT32).encode(s);
        char[] other = model.fingerprint().toCharArray();
        other[0] = other[0] == '0' ? '1' : '0';
        StateCodec foreign = new StateCodec(new String(other), model.newState(), StatePrecision.FLOAT32);
        StateFormatException e = assertThrows(StateFormatException.class, () -> foreign.decode(bytes));
        assertTrue(e.getMessage().contains("another model"), e.getMessage());
    }

    @Test
    void refusesCorruptTruncatedAndForeignBytes() {
        StateCodec codec = model.stateCodec(StatePrecision.FLOAT32);
        StreamState s = model.newState();
        model.forward(s, tokens(2, 70), ForwardOptions.DEFAULT);
        byte[] good = codec.encode(s);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        assertMessage(codec, flipped, "checksum");
        assertMessage(codec, Arrays.copyOf(good, good.length - 9), "truncated");
        assertMessage(codec, Arrays.copyOf(good, 20), "shorter than");
        assertMessage(
                codec,
                "{\"json\": \"not a state at all, but long enough to pass the size check..........\"}".getBytes(),
                "magic");
        byte[] version = good.clone();
        version[4] = 9;
        assertMessage(codec, version, "version 9");
        byte[] seen = good.clone();
        seen[40] = 3; // tokens seen no longer matches the ring fill
        assertMessage(codec, seen, "corrupt");
    }

    static void assertMessage(StateCodec codec, byte[] bytes, String expected) {
        StateFormatException e = assertThrows(StateFormatException.class, () -> codec.decode(bytes));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
