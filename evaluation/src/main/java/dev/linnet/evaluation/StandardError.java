package dev.linnet.evaluation;

/**
 * Standard errors of the two kinds of figure the harness averages over trials: a share of successes and a
 * mean of per-trial values (a paired difference included, which is a mean of per-trial differences).
 */
public final class StandardError {
    private StandardError() {}

    /**
     * A mean over trials and its standard error.
     *
     * @param standardError sample standard deviation (n - 1 in the denominator) over sqrt(n); NaN below 2 trials
     */
    public record Mean(double mean, double standardError, int n) {
        public static final Mean NONE = new Mean(Double.NaN, Double.NaN, 0);
    }

    /** sqrt(p (1 - p) / n): the standard error of a share p of n independent trials; NaN when n is 0. */
    public static double ofProportion(double p, int n) {
        if (n < 0) throw new IllegalArgumentException("negative trial count " + n);
        if (n == 0 || Double.isNaN(p)) return Double.NaN;
        if (p < 0 || p > 1) throw new IllegalArgumentException("a share must lie in [0, 1], got " + p);
        return Math.sqrt(p * (1 - p) / n);
    }

    /** The mean of the values and its standard error; NaN values are left out. */
    public static Mean ofMean(double[] values) {
        int n = 0;
        double sum = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) return Mean.NONE;
        double mean = sum / n;
        if (n == 1) return new Mean(mean, Double.NaN, 1);
        double squares = 0;
        for (double v : values) if (!Double.isNaN(v)) squares += (v - mean) * (v - mean);
        return new Mean(mean, Math.sqrt(squares / (n - 1) / n), n);
    }
}
