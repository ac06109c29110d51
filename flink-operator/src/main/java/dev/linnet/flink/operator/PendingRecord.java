package dev.linnet.flink.operator;

/**
 * A validated record waiting in the scorer's buffer.
 *
 * @param key          the Flink key it arrived under
 * @param input        the record as received
 * @param chunk        the tokens that go through the model (the record's, cut to the limit when truncated)
 * @param truncated    whether the tail was cut off
 * @param timestamp    the Flink record's timestamp, when {@code hasTimestamp}
 */
record PendingRecord(
        Object key, ScorerInput input, int[] chunk, boolean truncated, long timestamp, boolean hasTimestamp) {}
