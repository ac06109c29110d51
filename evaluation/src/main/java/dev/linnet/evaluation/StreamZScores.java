package dev.linnet.evaluation;

/**
 * The log-anomaly job's alarm rule applied to scores in stream order: each line's score as a z-score against the
 * stream's running mean and deviation of the lines before it, then the line joins the statistics. The weight of a
 * new score is max(1/n, 1/memory): the plain running mean and variance for the first {@code memory} lines, an
 * exponentially weighted one after. The same arithmetic as {@code dev.linnet.flink.jobs.RunningStats} (a
 * flink-operator test holds the two equal), here so the evaluation can measure the rule the job ships with.
 */
public final class StreamZScores {
    private final int memory;
    private final int minHistory;
    private long count;
    private double mean;
    private double variance;

    public StreamZScores(int memory, int minHistory) {
        if (memory < 1) throw new IllegalArgumentException("memory must be >= 1, got " + memory);
        if (minHistory < 0) throw new IllegalArgumentException("min history must be >= 0, got " + minHistory);
        this.memory = memory;
        this.minHistory = minHistory;
    }

    /** Adds a score to the statistics without judging it (a NaN is skipped, as the job skips it). */
    public void add(double x) {
        if (Double.isNaN(x)) return;
        count++;
        double alpha = Math.max(1.0 / count, 1.0 / memory);
        double diff = x - mean;
        double increment = alpha * diff;
        mean += increment;
        variance = (1 - alpha) * (variance + diff * increment);
    }

    /** The z-score of x against the lines so far (NaN without min history or spread), then adds x. */
    public double next(double x) {
        double sd = Math.sqrt(Math.max(variance, 0));
        double z = count < minHistory || !(sd > 1e-9) || Double.isNaN(x) ? Double.NaN : (x - mean) / sd;
        add(x);
        return z;
    }
}
