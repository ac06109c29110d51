package dev.linnet.evaluation;

/**
 * Counts of a binary detector against labels, and the usual figures from them. An undefined ratio
 * (no flagged item for precision, no positive for recall) is 0, as scikit-learn reports it.
 */
public record Confusion(int truePositives, int falsePositives, int falseNegatives, int trueNegatives) {

    public Confusion {
        if (truePositives < 0 || falsePositives < 0 || falseNegatives < 0 || trueNegatives < 0) {
            throw new IllegalArgumentException("negative count in " + truePositives + "/" + falsePositives + "/"
                    + falseNegatives + "/" + trueNegatives);
        }
    }

    /** Flags every item whose score is at least the threshold (NaN scores are never flagged). */
    public static Confusion atThreshold(double[] scores, boolean[] labels, double threshold) {
        boolean[] flags = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) flags[i] = scores[i] >= threshold;
        return of(flags, labels);
    }

    public static Confusion of(boolean[] flagged, boolean[] labels) {
        if (flagged.length != labels.length) {
            throw new IllegalArgumentException(flagged.length + " decisions but " + labels.length + " labels");
        }
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < flagged.length; i++) {
            if (flagged[i]) {
                if (labels[i]) tp++;
                else fp++;
            } else {
                if (labels[i]) fn++;
                else tn++;
            }
        }
        return new Confusion(tp, fp, fn, tn);
    }

    public int positives() {
        return truePositives + falseNegatives;
    }

    public int flagged() {
        return truePositives + falsePositives;
    }

    public int total() {
        return truePositives + falsePositives + falseNegatives + trueNegatives;
    }

    public double precision() {
        return flagged() == 0 ? 0 : truePositives / (double) flagged();
    }

    public double recall() {
        return positives() == 0 ? 0 : truePositives / (double) positives();
    }

    public double f1() {
        int denominator = 2 * truePositives + falsePositives + falseNegatives;
        return denominator == 0 ? 0 : 2.0 * truePositives / denominator;
    }
}
