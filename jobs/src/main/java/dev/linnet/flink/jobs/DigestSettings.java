package dev.linnet.flink.jobs;

import java.io.Serializable;
import java.time.Duration;

/**
 * When a key's digest is emitted and what it holds.
 *
 * @param everyRecords   close a digest after this many records of the key
 * @param everyTime      or once this much event time has passed since the digest's first record (null: never);
 *                       the end of a bounded input closes every open digest too
 * @param topK           novel and representative records listed
 * @param summaryTokens  tokens of text the model writes after {@code prompt} from a copy of the stream's state
 *                       (0: no text)
 * @param prompt         what the model is given before it writes the summary
 * @param outOfOrderness how late (in event time) records may arrive
 */
public record DigestSettings(
        int everyRecords, Duration everyTime, int topK, int summaryTokens, String prompt, Duration outOfOrderness)
        implements Serializable {

    public static final int MAX_RECORDS = 10_000;
    /** Most novel (and representative) records a digest lists: a digest must fit one Kafka record. */
    public static final int MAX_TOP = 100;

    public DigestSettings {
        if (everyRecords < 1 || everyRecords > MAX_RECORDS) {
            throw new IllegalArgumentException("--every-records must be between 1 and " + MAX_RECORDS
                    + " (a digest keeps " + "its records until it closes), got " + everyRecords);
        }
        if (everyTime != null && (everyTime.isNegative() || everyTime.isZero())) {
            everyTime = null;
        }
        if (topK < 1 || topK > MAX_TOP) {
            throw new IllegalArgumentException("--top must be between 1 and " + MAX_TOP + ", got " + topK);
        }
        if (summaryTokens < 0 || summaryTokens > 512) {
            throw new IllegalArgumentException("--summary-tokens must be between 0 and 512, got " + summaryTokens);
        }
        if (summaryTokens > 0 && (prompt == null || prompt.isEmpty())) {
            throw new IllegalArgumentException("--summary-prompt must not be empty when --summary-tokens is set");
        }
        if (outOfOrderness == null || outOfOrderness.isNegative()) {
            throw new IllegalArgumentException("--out-of-orderness must not be negative, got " + outOfOrderness);
        }
    }
}
