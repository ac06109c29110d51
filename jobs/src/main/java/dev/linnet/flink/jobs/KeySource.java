package dev.linnet.flink.jobs;

/** Where a log line's stream key comes from. */
public enum KeySource {
    /** The Kafka record's key, as UTF-8. */
    RECORD_KEY,
    /** The first capturing group (or the group named {@code key}) of a regular expression over the line. */
    REGEX,
    /** A top-level field of the line parsed as a JSON object. */
    JSON_FIELD
}
