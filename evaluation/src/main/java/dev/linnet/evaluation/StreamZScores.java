package dev.linnet.evaluation;

import dev.linnet.flink.jobs.RunningStats;

/**
 * The log-anomaly job's alarm rule applied to scores in stream order: each line's score as a z-score against the
 * stream's running mean and deviation of the lines before it, then the line joins the statistics. The statistics
 * are the job's own {@link RunningStats} (the weight of a new score is max(1/n, 1/memory): the plain running mean
 * and variance for the first {@code memory} lines, an exponentially weighted one after), so the evaluation
 * measures the rule the job ships with.
 */
public final class StreamZScores {
    private final int memory;
    private final int minHistory;
    private final RunningStats stats = new RunningStats();

    public StreamZScores(int memory, int minHistory) {
        if (memory < 1) throw new IllegalArgumentException("memory must be >= 1, got " + memory);
        if (minHistory < 0) throw new IllegalArgumentException("min history must be >= 0, got " + minHistory);
        this.memory = memory;
        this.minHistory = minHistory;
    }

    /** Adds a score to the statistics without judging it (a NaN is skipped, as the job skips it). */
    public void add(double x) {
        if (Double.isNaN(x)) return;
        stats.add(x, memory);
    }

    /** The z-score of x against the lines so far (NaN without min history or spread), then adds x. */
    public double next(double x) {
        double z = stats.zScore(x, minHistory);
        add(x);
        return z;
    }
}
