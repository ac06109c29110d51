package dev.linnet.flink.jobs;

import java.util.List;

/**
 * One digest of one key, as written to the output topic (JSON, these field names): counts over the digest's
 * records, the most novel ones (highest mean surprisal given the stream), the most representative ones
 * (closest to the digest's embedding: the mean of the stream's embeddings after each of its records) and,
 * when enabled, text the model wrote after a prompt from a copy of the stream's state. A POJO.
 */
public final class DigestRecord {
    public String key;
    /** 0 for a key's first digest. */
    public long sequence;
    /** {@code records}, {@code time} or {@code end-of-input}. */
    public String closedBy;

    public long firstTimestamp;
    public long lastTimestamp;
    public long records;
    public long tokens;
    public Double meanSurprisal;
    public Double maxMeanSurprisal;
    public long truncated;
    public long invalidUtf8;
    public long defaultKey;
    public List<DigestItem> novel;
    public List<DigestItem> representative;
    public String summaryPrompt;
    public String summary;
    /** Tokens the key's stream had seen when the digest closed. */
    public long streamTokens;

    public DigestRecord() {}

    @Override
    public String toString() {
        return "DigestRecord{" + key + " #" + sequence + " " + records + " records, closed by " + closedBy + "}";
    }
}
