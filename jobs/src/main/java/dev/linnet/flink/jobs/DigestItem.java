package dev.linnet.flink.jobs;

/** A record listed in a digest. A POJO. */
public final class DigestItem {
    public int partition;
    public long offset;
    public long timestamp;
    public String line;
    public Double meanSurprisal;
    /** Cosine similarity to the digest's embedding (representative records only). */
    public Double similarity;

    public DigestItem() {}

    static DigestItem of(DigestEntry e, Double similarity) {
        DigestItem i = new DigestItem();
        i.partition = e.partition;
        i.offset = e.offset;
        i.timestamp = e.timestamp;
        i.line = e.line;
        i.meanSurprisal = e.meanSurprisal;
        i.similarity = similarity;
        return i;
    }
}
