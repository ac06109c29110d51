package dev.linnet.flink.jobs;

import java.io.Serializable;

/**
 * When a line counts as an anomaly: its mean surprisal lies at least {@code zThreshold} standard deviations
 * above its key's running mean, once the key has {@code minHistory} lines of history.
 *
 * @param memory lines after which the running statistics become exponentially weighted (see {@link RunningStats})
 */
public record AnomalySettings(double zThreshold, int minHistory, int memory) implements Serializable {
    public AnomalySettings {
        if (!(zThreshold > 0) || Double.isInfinite(zThreshold)) {
            throw new IllegalArgumentException("--z-threshold must be a positive number, got " + zThreshold);
        }
        if (minHistory < 2) {
            throw new IllegalArgumentException("--min-history must be at least 2, got " + minHistory);
        }
        if (memory < 2) {
            throw new IllegalArgumentException("--stats-memory must be at least 2, got " + memory);
        }
    }

    public static AnomalySettings defaults() {
        return new AnomalySettings(3.0, 20, 1000);
    }
}
