package dev.linnet.flink.jobs;

/**
 * A key's running mean and variance of per-line mean surprisal, as keyed state. The weight of a new value
 * is {@code max(1/n, 1/memory)}: exactly the running mean and (population) variance for the first
 * {@code memory} lines, then an exponentially weighted one, so a stream's baseline follows slow drift.
 * A POJO.
 */
public final class RunningStats {
    public long count;
    public double mean;
    public double variance;

    public RunningStats() {}

    public void add(double x, int memory) {
        count++;
        double alpha = Math.max(1.0 / count, 1.0 / memory);
        double diff = x - mean;
        double increment = alpha * diff;
        mean += increment;
        variance = (1 - alpha) * (variance + diff * increment);
    }

    public double std() {
        return Math.sqrt(Math.max(variance, 0));
    }

    /** How many standard deviations x lies above the mean; NaN without enough history or spread. */
    public double zScore(double x, int minHistory) {
        double sd = std();
        if (count < minHistory || !(sd > 1e-9) || Double.isNaN(x)) {
            return Double.NaN;
        }
        return (x - mean) / sd;
    }
}
