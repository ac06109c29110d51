package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoreExceedanceTest {

    @Test
    void countsEarlierScoresAtLeastAsHighAndLearnsEachLineAfterScoringIt() {
        ScoreExceedance e = new ScoreExceedance(new double[] {1, 2, 3});
        double[] s = e.scores(new double[] {2.5, 0.5, 3, 9, Double.NaN, 9});
        assertEquals(-Math.log((1 + 1.0) / (3 + 1.0)), s[0], 1e-12, "only 3 is at least 2.5");
        assertEquals(-Math.log((4 + 1.0) / (4 + 1.0)), s[1], 1e-12, "every earlier score is higher: 0");
        assertEquals(-Math.log((1 + 1.0) / (5 + 1.0)), s[2], 1e-12, "a tie counts: the earlier 3");
        assertEquals(-Math.log((0 + 1.0) / (6 + 1.0)), s[3], 1e-12, "the highest so far");
        assertTrue(Double.isNaN(s[4]), "nothing scored: no exceedance, and not learned");
        assertEquals(-Math.log((1 + 1.0) / (7 + 1.0)), s[5], 1e-12, "the earlier 9 now counts, the NaN does not");
    }

    @Test
    void dependsOnlyOnTheOrderOfScoresNotTheirScale() {
        double[] warm = {4, 1, 7, 2};
        double[] lines = {3, 8, 1, 5, 5, 0.5};
        double[] a = new ScoreExceedance(warm).scores(lines);
        double[] w2 = warm.clone(), l2 = lines.clone();
        for (int i = 0; i < w2.length; i++) w2[i] = 10 + 3 * w2[i];
        for (int i = 0; i < l2.length; i++) l2[i] = 10 + 3 * l2[i];
        double[] b = new ScoreExceedance(w2).scores(l2);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 0.0, "line " + i);
    }
}
