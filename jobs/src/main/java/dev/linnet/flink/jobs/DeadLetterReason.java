package dev.linnet.flink.jobs;

/** Why a record went to the dead-letter topic. Each has a counter ({@code linnet.jobs.dead-letter.<name>}). */
public enum DeadLetterReason {
    /** The value was not valid UTF-8: decoded with U+FFFD replacements and scored; the original bytes kept here. */
    INVALID_UTF8("invalid-utf8"),
    /** Null, empty or whitespace-only value: nothing to score, dropped. */
    EMPTY_VALUE("empty-value"),
    /** The record had no key: scored under the default key (or dropped, if so configured). */
    NULL_KEY("null-key"),
    /** The key regex did not match the line: scored under the default key (or dropped). */
    KEY_NOT_FOUND("key-not-found"),
    /** More tokens than the per-record limit: the tail was cut off, the head scored and flagged. */
    OVER_MAX_TOKENS("over-max-tokens"),
    /** The line is not a JSON object, though JSON fields were configured: dropped. */
    NOT_JSON("not-json"),
    /** The JSON line lacks the configured field (key field: default key or drop; text field: dropped). */
    MISSING_JSON_FIELD("missing-json-field"),
    /** The scorer refused the record (see the detail). */
    SCORER_REJECTED("scorer-rejected"),
    /**
     * The value had more bytes than {@code linnet.record.max-bytes}: its first bytes were scored and flagged (a
     * JSON line, which a cut leaves unreadable, is dropped).
     */
    OVER_MAX_BYTES("over-max-bytes"),
    /**
     * The key was not valid UTF-8, was longer than {@link StreamKeys#MAX_BYTES} or began with U+FFFD: scored under
     * its escaped form (see {@link StreamKeys}), never merged with another key.
     */
    INVALID_KEY("invalid-key"),
    /** Reading the record (decoding, JSON, key, tokenizing) failed with an exception: dropped. */
    PARSE_FAILED("parse-failed"),
    /** The record was scored (its stream moved on) but building its output failed with an exception. */
    REPORT_FAILED("report-failed"),
    /** The output record could not be written as JSON within the sink's record size: it is not in the output. */
    OUTPUT_FAILED("output-failed");

    private final String metricName;

    DeadLetterReason(String metricName) {
        this.metricName = metricName;
    }

    public String metricName() {
        return metricName;
    }
}
