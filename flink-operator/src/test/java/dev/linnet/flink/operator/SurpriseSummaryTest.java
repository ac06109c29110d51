package dev.linnet.flink.operator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SurpriseSummaryTest {

    @Test
    void skipsTheUnpredictedFirstTokenAndRanksTheRest() {
        SurpriseSummary s = SurpriseSummary.of(new float[] {Float.NaN, 1f, 5f, 2f, 5f, 0.5f}, 3);
        assertEquals((1 + 5 + 2 + 5 + 0.5) / 5, s.mean, 1e-12);
        assertEquals(5f, s.max);
        assertArrayEquals(new int[] {2, 4, 3}, s.topPositions, "ties keep the earlier position first");
        assertArrayEquals(new float[] {5f, 5f, 2f}, s.topSurprisals);
    }

    @Test
    void fewerTokensThanKGivesAShorterList() {
        SurpriseSummary s = SurpriseSummary.of(new float[] {3f, 4f}, 5);
        assertArrayEquals(new int[] {1, 0}, s.topPositions);
        assertEquals(3.5, s.mean, 1e-12);
    }

    @Test
    void nothingPredictedGivesNaNAndNoTop() {
        SurpriseSummary s = SurpriseSummary.of(new float[] {Float.NaN}, 3);
        assertTrue(Double.isNaN(s.mean));
        assertTrue(Float.isNaN(s.max));
        assertEquals(0, s.topPositions.length);
        assertEquals(0, SurpriseSummary.of(new float[] {1f, 2f}, 0).topPositions.length);
    }

    @Test
    void descendingInputFillsTheListInOrder() {
        SurpriseSummary s = SurpriseSummary.of(new float[] {9f, 8f, 7f, 6f}, 2);
        assertArrayEquals(new int[] {0, 1}, s.topPositions);
        SurpriseSummary t = SurpriseSummary.of(new float[] {1f, 2f, 3f, 4f}, 2);
        assertArrayEquals(new int[] {3, 2}, t.topPositions);
    }
}
