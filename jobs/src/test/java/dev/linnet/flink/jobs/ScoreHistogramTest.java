package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreHistogramTest {

    /** -ln((earlier >= x + 1) / (earlier + 1)) over the exact earlier scores. */
    private static double exact(List<Double> earlier, double x) {
        long atLeast = earlier.stream().filter(v -> v >= x).count();
        return -Math.log((atLeast + 1.0) / (earlier.size() + 1.0));
    }

    @Test
    void liesWithinOneBinOfTheExactExceedanceAndNeverAboveIt() {
        Random random = new Random(7);
        ScoreHistogram h = new ScoreHistogram();
        List<Double> earlier = new ArrayList<>();
        int exactlyEqual = 0;
        for (int i = 0; i < 3000; i++) {
            double x = i % 3 == 0 ? 0.04 * random.nextInt(300) : Math.abs(4 + 2 * random.nextGaussian());
            double e = h.exceedance(x, 1);
            if (i == 0) {
                assertTrue(Double.isNaN(e), "no history yet");
            } else {
                // counted: the lines of x's bin and above, so every line >= x and none below x - one bin
                assertTrue(e <= exact(earlier, x) + 1e-12, "a score's own bin may only lower its exceedance: " + x);
                assertTrue(e >= exact(earlier, x - ScoreHistogram.BIN_WIDTH - 1e-9) - 1e-12, "within one bin: " + x);
                if (Math.abs(e - exact(earlier, x)) < 1e-12) {
                    exactlyEqual++;
                }
            }
            h.add(x);
            earlier.add(x);
        }
        assertEquals(3000, h.total);
        assertTrue(exactlyEqual > 1000, "most lines have no earlier line in their bin below them: " + exactlyEqual);
    }

    @Test
    void highScoresShareTheLastBinAndNoneIsLowerThanZero() {
        ScoreHistogram h = new ScoreHistogram();
        for (int i = 0; i < 99; i++) {
            h.add(1.0);
        }
        h.add(50.0);
        assertEquals(-Math.log(2.0 / 101), h.exceedance(30.0, 2), 1e-12, "30 and 50 both sit in the open last bin");
        assertEquals(-Math.log(101.0 / 101), h.exceedance(-3.0, 2), 1e-12, "every line scored at least as high");
        assertEquals(0, ScoreHistogram.bin(Double.NEGATIVE_INFINITY));
        assertEquals(ScoreHistogram.BINS - 1, ScoreHistogram.bin(Double.POSITIVE_INFINITY));
    }

    @Test
    void nanIsNeitherCountedNorScoredAndShortHistoriesGiveNone() {
        ScoreHistogram h = new ScoreHistogram();
        h.add(Double.NaN);
        assertEquals(0, h.total);
        h.add(2.0);
        h.add(3.0);
        assertTrue(Double.isNaN(h.exceedance(2.5, 3)), "two lines, three needed");
        assertTrue(Double.isNaN(h.exceedance(Double.NaN, 1)));
        assertEquals(-Math.log(2.0 / 3), h.exceedance(2.5, 2), 1e-12);
    }

    @Test
    void halvingAtTwoToTheThirtyKeepsTheShares() {
        ScoreHistogram h = new ScoreHistogram();
        h.add(1.0);
        h.counts[ScoreHistogram.bin(1.0)] = (1 << 29) - 2; // as if many lines had come: 3/4 low, 1/4 high
        h.counts[ScoreHistogram.bin(9.0)] = 1 << 28;
        h.total = (1L << 29) - 2 + (1L << 28);
        double before = h.exceedance(9.0, 2);
        for (int i = 0; i < (1 << 28) + 2; i++) { // brings the count to exactly 2^30
            h.add(9.0);
        }
        assertTrue(h.total < 1L << 30, "halved once the count reached 2^30: " + h.total);
        assertEquals(h.counts[ScoreHistogram.bin(1.0)] + h.counts[ScoreHistogram.bin(9.0)], h.total);
        assertEquals(
                -Math.log(0.5),
                h.exceedance(9.0, 2),
                1e-6,
                "half the lines now score 9: share kept through the halving");
        assertTrue(before > h.exceedance(9.0, 2));
    }
}
