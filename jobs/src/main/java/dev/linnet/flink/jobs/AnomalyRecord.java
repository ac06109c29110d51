package dev.linnet.flink.jobs;

import java.util.List;

/**
 * One scored log line, as written to the output topic (JSON, these field names). Surprisals are in nats per
 * token given everything the key's stream has seen; numbers that do not exist (the first token of a stream
 * has no prediction; z needs history) are null. A POJO.
 */
public final class AnomalyRecord {
    public String key;
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    /** The line's text: all of it, or its first {@link BoundedText#LINE_JSON_BYTES} (see {@link #lineTruncated}). */
    public String line;
    /** {@link #line} holds only the first part of the text (which may be longer than what was scored). */
    public boolean lineTruncated;
    /** Bytes of the Kafka record's value as it arrived. */
    public Integer valueBytes;

    public int tokens;
    /** Not all of the line was scored: it had more bytes than linnet.record.max-bytes or more tokens than the limit. */
    public boolean truncated;

    public boolean invalidUtf8;
    public boolean defaultKey;
    public Double meanSurprisal;
    public Double maxSurprisal;
    /** (meanSurprisal - key's running mean) / key's running std, before this line joins the statistics. */
    public Double zScore;
    /**
     * -ln((lines of this key scoring at least as high + 1) / (its lines + 1)), before this line is counted: the
     * line is as surprising as one in e^exceedance of the key's lines (to 0.04 nats; see {@link ScoreHistogram}).
     */
    public Double exceedance;

    public boolean anomaly;
    /** Lines of this key in the running statistics before this one. */
    public long history;

    public Double historyMean;
    public Double historyStd;
    /** The most surprising tokens, most surprising first. */
    public List<SurprisingToken> surprisingTokens;
    /** Tokens of the key's stream so far, this line included. */
    public long tokensSeen;

    public AnomalyRecord() {}

    @Override
    public String toString() {
        return "AnomalyRecord{" + key + " " + topic + "-" + partition + "@" + offset + " mean=" + meanSurprisal + " z="
                + zScore + (anomaly ? " ANOMALY" : "") + "}";
    }
}
