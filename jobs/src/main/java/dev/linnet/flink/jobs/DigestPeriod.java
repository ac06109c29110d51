package dev.linnet.flink.jobs;

/** The running totals of a key's open digest (small: the records themselves are in list state). A POJO. */
public final class DigestPeriod {
    public long firstTimestamp;
    public long lastTimestamp;
    public long records;
    public long tokens;
    public double sumMeanSurprisal;
    public long scoredRecords;
    public double maxMeanSurprisal;
    public long truncated;
    public long invalidUtf8;
    public long defaultKey;
    /** Event time of the timer that closes this digest. */
    public long timer;
    /** Digests of this key closed before this one. */
    public long sequence;
    /** Tokens the key's stream has seen (from the scorer's latest record). */
    public long streamTokens;

    public DigestPeriod() {}
}
