package dev.linnet.flink.jobs;

/** One record of an open digest, as kept in keyed list state until the digest closes. A POJO. */
public final class DigestEntry {
    public int partition;
    public long offset;
    public long timestamp;
    public String line;
    /** Null when the record had no predicted token. */
    public Double meanSurprisal;
    /** The stream's embedding after this record (final hidden state). */
    public float[] embedding;

    public DigestEntry() {}
}
