package dev.linnet.flink.operator;

import org.apache.flink.annotation.PublicEvolving;

/** A record the scorer did not score, with the reason; emitted to {@link LinnetScorer#REJECTED}. A POJO. */
@PublicEvolving
public final class RejectedRecord {
    public String key;
    public String recordId;
    public RejectReason reason;
    /** A sentence saying what was wrong, e.g. which token id was out of range. */
    public String detail;

    public RejectedRecord() {}

    public RejectedRecord(String key, String recordId, RejectReason reason, String detail) {
        this.key = key;
        this.recordId = recordId;
        this.reason = reason;
        this.detail = detail;
    }

    @Override
    public String toString() {
        return "RejectedRecord{key=" + key + ", recordId=" + recordId + ", reason=" + reason + ", " + detail + "}";
    }
}
