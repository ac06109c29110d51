package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunningStatsTest {

    @Test
    void withinMemoryItIsThePlainMeanAndPopulationVariance() {
        double[] xs = {2, 4, 4, 4, 5, 5, 7, 9};
        RunningStats s = new RunningStats();
        for (double x : xs) {
            s.add(x, 1000);
        }
        assertEquals(8, s.count);
        assertEquals(5.0, s.mean, 1e-12);
        assertEquals(4.0, s.variance, 1e-12);
        assertEquals(2.0, s.std(), 1e-12);
        assertEquals(1.5, s.zScore(8, 5), 1e-12);
    }

    @Test
    void noZScoreWithoutEnoughHistoryOrSpread() {
        RunningStats s = new RunningStats();
        s.add(1, 100);
        s.add(3, 100);
        assertTrue(Double.isNaN(s.zScore(10, 3)), "two values, three needed");
        RunningStats flat = new RunningStats();
        for (int i = 0; i < 10; i++) {
            flat.add(1, 100);
        }
        assertTrue(Double.isNaN(flat.zScore(10, 3)), "no spread");
    }

    @Test
    void pastMemoryOldValuesFade() {
        RunningStats s = new RunningStats();
        for (int i = 0; i < 200; i++) {
            s.add(1, 20);
        }
        for (int i = 0; i < 200; i++) {
            s.add(5, 20);
        }
        assertEquals(5.0, s.mean, 1e-3, "the baseline followed the shift");
    }
}
