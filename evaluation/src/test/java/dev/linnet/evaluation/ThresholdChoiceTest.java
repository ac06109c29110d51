package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThresholdChoiceTest {
    @Test
    void picksTheThresholdWithTheBestF1() {
        double[] scores = {0.1, 0.2, 0.3, 0.8, 0.9, 0.4};
        boolean[] labels = {false, false, false, true, true, false};
        ThresholdChoice c = ThresholdChoice.bestF1(scores, labels);
        assertEquals(0.8, c.threshold());
        assertEquals(1.0, c.validation().f1(), 1e-12);
    }

    @Test
    void tiesGoToTheHighestThreshold() {
        // thresholds 0.5 and 0.3 both give F1 2/3 (0.5: TP1 FN1; 0.3: TP2 FP2): the higher one wins
        double[] scores = {0.5, 0.3, 0.3, 0.3, 0.1};
        boolean[] labels = {true, true, false, false, false};
        ThresholdChoice c = ThresholdChoice.bestF1(scores, labels);
        assertEquals(2.0 / 3, c.validation().f1(), 1e-12);
        assertEquals(0.5, c.threshold());
    }

    @Test
    void noPositivesGivesTheHighestScoreAndF1Zero() {
        ThresholdChoice c = ThresholdChoice.bestF1(new double[] {1, 2, 3}, new boolean[3]);
        assertEquals(3, c.threshold());
        assertEquals(0, c.validation().f1());
    }

    @Test
    void oracleIsAtLeastAnyThreshold() {
        double[] scores = {0.2, 0.6, 0.4, 0.9, 0.1, 0.7};
        boolean[] labels = {false, true, true, false, false, true};
        double oracle = ThresholdChoice.oracleF1(scores, labels);
        for (double t : scores) {
            assertEquals(true, Confusion.atThreshold(scores, labels, t).f1() <= oracle + 1e-12);
        }
    }

    @Test
    void onlyNaNScoresAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ThresholdChoice.bestF1(new double[] {Double.NaN}, new boolean[] {true}));
    }
}
