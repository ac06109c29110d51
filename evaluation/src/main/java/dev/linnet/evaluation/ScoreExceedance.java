package dev.linnet.evaluation;

import java.util.Arrays;

/**
 * A stream's own calibration of line scores: a line's exceedance is how rarely the stream has produced a score
 * at least as high, -ln((earlier scores >= this one + 1) / (earlier scores + 1)). Like {@link TemplateRarity}
 * it counts what the stream has seen so far, but it needs no template parser: the model's surprisal does the
 * grouping. Unlike a z-score it assumes nothing about the scores' distribution, so a threshold means the same
 * ("rarer than one line in e^t") on a part of the log whose surprisal level has moved. Warm scores start it;
 * every line is counted after it is scored.
 */
public final class ScoreExceedance {
    private double[] seen = new double[64];
    private int n;

    public ScoreExceedance(double[] warm) {
        for (double v : warm) learn(v);
    }

    /** Scores each line in order, learning it after scoring; a NaN score (nothing scored) gives NaN and is not learned. */
    public double[] scores(double[] lineScores) {
        double[] out = new double[lineScores.length];
        for (int i = 0; i < out.length; i++) {
            double v = lineScores[i];
            if (Double.isNaN(v)) {
                out[i] = Double.NaN;
                continue;
            }
            out[i] = -Math.log((atLeast(v) + 1.0) / (n + 1.0));
            learn(v);
        }
        return out;
    }

    /** Earlier scores >= v (seen[0..n) is kept sorted). */
    private int atLeast(double v) {
        int lo = 0, hi = n; // first index with seen[i] >= v
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (seen[mid] < v) lo = mid + 1;
            else hi = mid;
        }
        return n - lo;
    }

    private void learn(double v) {
        if (Double.isNaN(v)) return;
        if (n == seen.length) seen = Arrays.copyOf(seen, 2 * n);
        int at = n - atLeast(v);
        System.arraycopy(seen, at, seen, at + 1, n - at);
        seen[at] = v;
        n++;
    }
}
