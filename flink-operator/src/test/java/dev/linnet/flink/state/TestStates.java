package dev.linnet.flink.state;

import dev.linnet.engine.kernels.Bits16;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import java.util.SplittableRandom;

/** Small schemas and filled states for serializer tests (no model needed: only shapes matter here). */
final class TestStates {

    static final String FINGERPRINT_A = "a1".repeat(32);
    static final String FINGERPRINT_B = "b2".repeat(32);

    private TestStates() {}

    /** 2 lightning layers of 2 heads x 3 x 3, 1 softmax layer with window 4 and kv width 6, hidden 8. */
    static StateSchema small(String fingerprint, StatePrecision precision) {
        return new StateSchema(fingerprint, 2, 18, 1, 4, 6, 8, precision);
    }

    /**
     * A state whose numbers are drawn from {@code seed}, rounded to bfloat16 when asked (so it round-trips).
     * As in a real stream, only the ring slots of the last min(tokensSeen, window) positions are filled.
     */
    static StreamState filled(StateSchema schema, long seed, long tokensSeen, boolean bf16Exact) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StreamState s = schema.newState();
        s.setTokensSeen(tokensSeen);
        for (int i = 0; i < s.linearLayers(); i++) {
            fill(s.linear(i), rnd, bf16Exact);
        }
        int width = schema.kvWidth();
        for (long p = Math.max(0, tokensSeen - schema.window()); p < tokensSeen; p++) {
            int slot = (int) (p % schema.window()) * width;
            for (int i = 0; i < s.windowLayers(); i++) {
                fillRange(s.keys(i), slot, width, rnd, bf16Exact);
                fillRange(s.values(i), slot, width, rnd, bf16Exact);
            }
        }
        fill(s.lastHidden(), rnd, bf16Exact);
        return s;
    }

    private static void fill(float[] a, SplittableRandom rnd, boolean bf16Exact) {
        fillRange(a, 0, a.length, rnd, bf16Exact);
    }

    private static void fillRange(float[] a, int from, int length, SplittableRandom rnd, boolean bf16Exact) {
        for (int i = from; i < from + length; i++) {
            float f = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-3, 4)));
            a[i] = bf16Exact ? Bits16.bf16ToFloat(Bits16.floatToBf16(f)) : f;
        }
    }
}
