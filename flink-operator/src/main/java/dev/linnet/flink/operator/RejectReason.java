package dev.linnet.flink.operator;

import org.apache.flink.annotation.PublicEvolving;

/** Why a record did not go through the model. Each reason has its own counter under the {@code linnet} metric group. */
@PublicEvolving
public enum RejectReason {
    /** No tokens at all. */
    EMPTY("empty"),
    /** More tokens than the per-record limit, with the REJECT policy. */
    TOO_LONG("too-long"),
    /** A token id outside the model's vocabulary. */
    TOKEN_OUT_OF_VOCABULARY("token-out-of-vocabulary");

    private final String metricName;

    RejectReason(String metricName) {
        this.metricName = metricName;
    }

    /** The value of the {@code reason} metric group. */
    public String metricName() {
        return metricName;
    }
}
