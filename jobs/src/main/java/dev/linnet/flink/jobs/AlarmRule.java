package dev.linnet.flink.jobs;

/** Which of a line's two calibrated scores decides whether it is an anomaly. */
public enum AlarmRule {
    /** The z-score against the key's running mean and deviation ({@link RunningStats}): flag at z >= the z threshold. */
    Z_SCORE,
    /** The exceedance against the key's score histogram ({@link ScoreHistogram}): flag at >= the exceedance threshold. */
    EXCEEDANCE
}
