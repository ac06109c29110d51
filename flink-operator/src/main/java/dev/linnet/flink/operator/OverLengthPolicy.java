package dev.linnet.flink.operator;

import org.apache.flink.annotation.PublicEvolving;

/** What to do with a record of more tokens than {@code linnet.record.max-tokens}. */
@PublicEvolving
public enum OverLengthPolicy {
    /** Keep the first max-tokens tokens and flag the output as truncated (and count it). */
    TRUNCATE,
    /** Send the record to the rejected side output. */
    REJECT
}
