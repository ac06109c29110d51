package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SegmentBitsTest {
    @Test
    void eachByteBelongsToThePartWhoseBytesHoldIt() {
        for (long bytes : new long[] {0, 1, 3, 4, 10, 17, 1000, 123457}) {
            for (int parts : new int[] {1, 4, 10}) {
                SegmentBits b = new SegmentBits(bytes, parts);
                assertEquals(0, b.partStart(0));
                assertEquals(bytes, b.partStart(parts));
                long sum = 0;
                for (int k = 0; k < parts; k++) {
                    sum += b.partBytes(k);
                    assertTrue(Math.abs(b.partBytes(k) - (double) bytes / parts) < 1, "equal parts");
                }
                assertEquals(bytes, sum);
                for (long o = 0; o < bytes; o += Math.max(1, bytes / 97)) {
                    int k = b.partOf(o);
                    assertTrue(
                            b.partStart(k) <= o && o < b.partStart(k + 1),
                            "byte " + o + " of " + bytes + " in part " + k);
                }
                assertEquals(parts - 1, b.partOf(bytes), "the end counts in the last part");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new SegmentBits(10, 4).partOf(11));
        assertThrows(IllegalArgumentException.class, () -> new SegmentBits(10, 0));
    }

    @Test
    void partsAddUpToTheWholeExactlyAndANonFiniteSurprisalIsNeverHidden() {
        SegmentBits b = new SegmentBits(1000, 4);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        double plain = 0;
        for (int o = 0; o < 1000; o += 1 + rnd.nextInt(5)) {
            float nats = (float) (rnd.nextDouble() * 12);
            b.add(o, nats);
            plain += nats / Math.log(2);
        }
        assertEquals(b.bits(0) + b.bits(1) + b.bits(2) + b.bits(3), b.bits(), 0.0);
        assertEquals(b.bits(3) + b.bits(2) + b.bits(1) + b.bits(0), b.bits(), 0.0);
        assertEquals(plain, b.bits(), 1e-9 * plain, "fixed point costs nothing that matters");
        assertEquals(b.bits(1) / 250, b.bitsPerByte(1), 0.0);
        assertEquals(0, b.nonFinite());

        b.add(999, Float.NaN);
        assertEquals(1, b.nonFinite());
        assertTrue(
                Double.isNaN(b.bits(3)) && Double.isNaN(b.bitsPerByte()),
                "a NaN surprisal makes its part and the whole NaN");
        assertTrue(!Double.isNaN(b.bits(0)), "other parts keep their figures");
        b.add(0, Float.POSITIVE_INFINITY);
        assertEquals(2, b.nonFinite());
        assertTrue(Double.isNaN(b.lastOverFirst()));
    }
}
