package dev.linnet.flink.jobs;

import java.io.Serializable;

/**
 * When a line counts as an anomaly. With {@link AlarmRule#Z_SCORE} (the default): its mean surprisal lies at least
 * {@code zThreshold} standard deviations above its key's running mean. With {@link AlarmRule#EXCEEDANCE}: its key
 * has logged a line scoring at least as high in fewer than one of e^{@code exceedanceThreshold} earlier lines
 * (4.6: one in a hundred; a key needs about e^threshold lines before any line can reach it). Either way only once the
 * key has {@code minHistory} lines of history; the record carries both scores whichever rule decides.
 *
 * @param memory lines after which the running statistics become exponentially weighted (see {@link RunningStats})
 */
public record AnomalySettings(double zThreshold, int minHistory, int memory, AlarmRule rule, double exceedanceThreshold)
        implements Serializable {

    /** About ln(100): a line whose score its key reaches less than once in a hundred lines. */
    public static final double DEFAULT_EXCEEDANCE_THRESHOLD = 4.6;

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
        if (rule == null) {
            throw new IllegalArgumentException("--alarm must name a rule (z-score or exceedance)");
        }
        if (!(exceedanceThreshold > 0) || Double.isInfinite(exceedanceThreshold)) {
            throw new IllegalArgumentException(
                    "--exceedance-threshold must be a positive number, got " + exceedanceThreshold);
        }
    }

    /** The z-score rule, as the job has always had it. */
    public AnomalySettings(double zThreshold, int minHistory, int memory) {
        this(zThreshold, minHistory, memory, AlarmRule.Z_SCORE, DEFAULT_EXCEEDANCE_THRESHOLD);
    }

    /** Whether a line with these scores (NaN where there is none) is an anomaly under the chosen rule. */
    public boolean flags(double zScore, double exceedance) {
        return rule == AlarmRule.Z_SCORE ? zScore >= zThreshold : exceedance >= exceedanceThreshold;
    }

    public static AnomalySettings defaults() {
        return new AnomalySettings(3.0, 20, 1000);
    }
}
