package dev.linnet.flink.jobs;

/**
 * A notice on the dead-letter topic: which input record, what was wrong, and what the job did about it. It is
 * bounded whatever the record was: it carries the first bytes of the value (as text when they are valid UTF-8,
 * else as base64; at most {@link BoundedText#LINE_JSON_BYTES} of JSON either way), the value's length in bytes and
 * its SHA-256, never a whole large value. A POJO; written as JSON.
 */
public final class DeadLetter {
    public DeadLetterReason reason;
    /**
     * {@code dropped}, {@code scored}, {@code scored-truncated}, {@code scored-with-replacement},
     * {@code scored-under-default-key}, {@code scored-under-escaped-key} or {@code scored-not-reported}.
     */
    public String action;
    /** A sentence saying what was wrong. */
    public String detail;

    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    /** The record's stream key as {@link StreamKeys} makes it (escaped when not short valid UTF-8), or null. */
    public String key;
    /** The value (or its first bytes, see {@link #valueTruncated}) as text, when those bytes are valid UTF-8. */
    public String value;
    /** The value (or its first bytes) as base64, when they are not valid UTF-8. */
    public String valueBase64;
    /** Whether {@link #value} or {@link #valueBase64} holds only the first bytes of the value. */
    public boolean valueTruncated;
    /** Bytes of the whole value as it arrived; null when the record had no value. */
    public Integer valueBytes;
    /** SHA-256 of the whole value as it arrived (64 hex digits); null when the record had no value. */
    public String valueSha256;

    public DeadLetter() {}

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ", " + action + ", " + topic + "-" + partition + "@" + offset + ": " + detail
                + "}";
    }
}
