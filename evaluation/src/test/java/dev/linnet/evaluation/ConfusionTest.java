package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConfusionTest {
    @Test
    void countsAndFigures() {
        boolean[] flags = {true, true, true, false, false, false};
        boolean[] labels = {true, true, false, true, false, false};
        Confusion c = Confusion.of(flags, labels);
        assertEquals(new Confusion(2, 1, 1, 2), c);
        assertEquals(2.0 / 3, c.precision(), 1e-12);
        assertEquals(2.0 / 3, c.recall(), 1e-12);
        assertEquals(2.0 / 3, c.f1(), 1e-12);
        assertEquals(6, c.total());
    }

    @Test
    void f1IsHarmonicMeanOfPrecisionAndRecall() {
        Confusion c = new Confusion(3, 7, 1, 100);
        double p = 0.3, r = 0.75;
        assertEquals(2 * p * r / (p + r), c.f1(), 1e-12);
    }

    @Test
    void undefinedRatiosAreZero() {
        Confusion none = Confusion.of(new boolean[] {false, false}, new boolean[] {false, false});
        assertEquals(0, none.precision());
        assertEquals(0, none.recall());
        assertEquals(0, none.f1());
    }

    @Test
    void thresholdFlagsScoresAtOrAboveItAndNeverNaN() {
        double[] scores = {0.1, 0.5, 0.9, Double.NaN};
        boolean[] labels = {false, true, true, true};
        Confusion c = Confusion.atThreshold(scores, labels, 0.5);
        assertEquals(new Confusion(2, 0, 1, 1), c);
    }

    @Test
    void mismatchedLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Confusion.of(new boolean[2], new boolean[3]));
    }
}
