package dev.linnet.evaluation;

import java.util.Arrays;

/**
 * Picks the alarm threshold that maximises F1 on a validation part (flag when score >= threshold).
 * Candidates are the distinct validation scores; among equal F1 the highest threshold (fewest alarms) wins.
 *
 * @param threshold  the chosen threshold
 * @param validation what it gives on the validation part
 */
public record ThresholdChoice(double threshold, Confusion validation) {

    public static ThresholdChoice bestF1(double[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        double[] candidates = Arrays.stream(scores)
                .filter(s -> !Double.isNaN(s))
                .distinct()
                .sorted()
                .toArray();
        if (candidates.length == 0)
            throw new IllegalArgumentException("no validation score to choose a threshold from");
        ThresholdChoice best = null;
        for (int i = candidates.length - 1; i >= 0; i--) {
            Confusion c = Confusion.atThreshold(scores, labels, candidates[i]);
            if (best == null || c.f1() > best.validation().f1()) best = new ThresholdChoice(candidates[i], c);
        }
        return best;
    }

    /** The best F1 any threshold reaches on these scores: an upper bound, for reading the chosen one against. */
    public static double oracleF1(double[] scores, boolean[] labels) {
        return bestF1(scores, labels).validation().f1();
    }
}
