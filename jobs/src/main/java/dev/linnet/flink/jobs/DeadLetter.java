package dev.linnet.flink.jobs;

/**
 * A notice on the dead-letter topic: which input record, what was wrong, and what the job did about it.
 * The original value travels along (as text when it was valid UTF-8, else as base64) so nothing is lost.
 * A POJO; written as JSON.
 */
public final class DeadLetter {
    public DeadLetterReason reason;
    /** {@code dropped}, {@code scored}, {@code scored-truncated}, {@code scored-with-replacement} or {@code scored-under-default-key}. */
    public String action;
    /** A sentence saying what was wrong. */
    public String detail;

    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    /** The record's key as UTF-8 text (with replacements), or null. */
    public String key;
    /** The value as text, when it was valid UTF-8. */
    public String value;
    /** The value as base64, when it was not valid UTF-8. */
    public String valueBase64;

    public DeadLetter() {}

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ", " + action + ", " + topic + "-" + partition + "@" + offset + ": " + detail
                + "}";
    }
}
