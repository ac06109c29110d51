package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StandardErrorTest {
    @Test
    void proportionIsSqrtOfPTimesOneMinusPOverN() {
        assertEquals(0.05, StandardError.ofProportion(0.5, 100), 1e-15);
        assertEquals(Math.sqrt(0.9 * 0.1 / 256), StandardError.ofProportion(0.9, 256), 1e-15);
        assertEquals(0.0, StandardError.ofProportion(0.0, 48), 0.0);
        assertEquals(0.0, StandardError.ofProportion(1.0, 48), 0.0);
        assertTrue(Double.isNaN(StandardError.ofProportion(0.5, 0)), "no trial");
        assertThrows(IllegalArgumentException.class, () -> StandardError.ofProportion(1.5, 4));
    }

    @Test
    void meanErrorIsSampleDeviationOverSqrtN() {
        StandardError.Mean m = StandardError.ofMean(new double[] {1, 2, 3, 4});
        assertEquals(2.5, m.mean(), 1e-15);
        // sample variance (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3; over n = 4
        assertEquals(Math.sqrt(5.0 / 3 / 4), m.standardError(), 1e-15);
        assertEquals(4, m.n());
        StandardError.Mean constant = StandardError.ofMean(new double[] {0.7, 0.7, 0.7});
        assertEquals(0.0, constant.standardError(), 1e-15);
        StandardError.Mean withNaN = StandardError.ofMean(new double[] {1, Double.NaN, 3});
        assertEquals(2.0, withNaN.mean(), 1e-15);
        assertEquals(2, withNaN.n());
        assertEquals(1.0, withNaN.standardError(), 1e-15);
        StandardError.Mean one = StandardError.ofMean(new double[] {5});
        assertEquals(5.0, one.mean());
        assertTrue(Double.isNaN(one.standardError()), "one trial has no spread");
        assertTrue(Double.isNaN(StandardError.ofMean(new double[0]).mean()));
    }
}
