package dev.linnet.flink.jobs;

/** Where a job starts reading its input topic when it has no checkpoint to restore from. */
public enum StartingOffsets {
    /** The beginning of each partition. */
    EARLIEST,
    /** Only records written after the job starts. */
    LATEST,
    /** The consumer group's committed offsets, else the beginning. */
    COMMITTED
}
