package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    /** 40 units, every fourth one positive. */
    private static boolean[] labels() {
        boolean[] l = new boolean[40];
        for (int i = 0; i < l.length; i += 4) l[i] = true;
        return l;
    }

    @Test
    void perfectlySeparatedCaseHasF1IntervalOneToOne() {
        boolean[] labels = labels();
        double[][] f1 = new Bootstrap(2000, 1).f1(labels, List.of(labels.clone()));
        Bootstrap.Interval ci = Bootstrap.percentile(f1[0], 0.95);
        assertEquals(1.0, ci.low(), 0.0);
        assertEquals(1.0, ci.high(), 0.0);
    }

    @Test
    void identicalRowsTie() {
        boolean[] labels = labels();
        boolean[] flags = new boolean[labels.length];
        for (int i = 0; i < flags.length; i += 3) flags[i] = true; // a middling detector
        double[][] f1 = new Bootstrap(500, 7).f1(labels, List.of(flags, flags.clone()));
        Bootstrap.Interval d = Bootstrap.difference(f1[0], f1[1], 0.95);
        assertEquals(0.0, d.low(), 0.0);
        assertEquals(0.0, d.high(), 0.0);
        assertEquals(Bootstrap.Verdict.TIES, Bootstrap.compare(f1[0], f1[1]));
        assertEquals("ties", Bootstrap.compare(f1[0], f1[1]).word());
        // and the middling detector's own interval is wide, around its F1 on all units
        double f1All = Confusion.of(flags, labels).f1();
        Bootstrap.Interval ci = Bootstrap.percentile(f1[0], 0.95);
        assertTrue(ci.low() < f1All && f1All < ci.high(), ci + " around " + f1All);
    }

    @Test
    void aPerfectDetectorIsAboveOneThatFlagsNothing() {
        boolean[] labels = labels();
        double[][] f1 = new Bootstrap(1000, 3).f1(labels, List.of(labels.clone(), new boolean[labels.length]));
        assertEquals(Bootstrap.Verdict.ABOVE, Bootstrap.compare(f1[0], f1[1]));
        assertEquals(Bootstrap.Verdict.BELOW, Bootstrap.compare(f1[1], f1[0]));
        for (double v : f1[1]) assertEquals(0.0, v, 0.0);
    }

    @Test
    void sameSeedSameResamplesAndDetectorsShareThem() {
        boolean[] labels = labels();
        boolean[] a = new boolean[labels.length], b = new boolean[labels.length];
        for (int i = 0; i < a.length; i += 2) a[i] = true;
        for (int i = 0; i < b.length; i += 5) b[i] = true;
        double[][] both = new Bootstrap(300, 42).f1(labels, List.of(a, b));
        assertArrayEquals(
                both[0],
                new Bootstrap(300, 42).f1(labels, List.of(a))[0],
                "seeded, and the same whatever else is judged");
        assertArrayEquals(both[1], new Bootstrap(300, 42).f1(labels, List.of(b))[0]);
        assertFalse(
                java.util.Arrays.equals(both[0], new Bootstrap(300, 43).f1(labels, List.of(a))[0]),
                "another seed, other resamples");
    }

    @Test
    void percentileInterpolatesBetweenOrderStatistics() {
        double[] v = new double[101];
        for (int i = 0; i < v.length; i++) v[100 - i] = i; // order must not matter
        Bootstrap.Interval ci = Bootstrap.percentile(v, 0.90);
        assertEquals(5.0, ci.low(), 1e-12);
        assertEquals(95.0, ci.high(), 1e-12);
        assertEquals(new Bootstrap.Interval(0.25, 0.75), Bootstrap.percentile(new double[] {0, 1}, 0.5));
        assertEquals(Bootstrap.Verdict.ABOVE, Bootstrap.Verdict.of(new Bootstrap.Interval(0.3, 0.5), 0.285));
        assertEquals(Bootstrap.Verdict.TIES, Bootstrap.Verdict.of(new Bootstrap.Interval(0.2, 0.5), 0.285));
        assertEquals(Bootstrap.Verdict.BELOW, Bootstrap.Verdict.of(new Bootstrap.Interval(0.1, 0.2), 0.285));
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(0, 1));
        assertThrows(
                IllegalArgumentException.class, () -> new Bootstrap(10, 1).f1(new boolean[3], List.of(new boolean[2])));
    }
}
