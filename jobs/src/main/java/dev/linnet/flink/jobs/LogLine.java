package dev.linnet.flink.jobs;

/**
 * A parsed input line and where it came from: the context a scored record is reported with. It rides through
 * the scorer inside {@code ScorerInput.recordId} (see {@link LineContextCodec}). A POJO.
 */
public final class LogLine {
    public String key;
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    /** The text that was tokenized (the JSON text field, or the whole line, from at most max-bytes of the value). */
    public String text;
    /** Chars of {@link #text} whose tokens went through the model (less than its length when truncated). */
    public int scoredChars;
    /** Tokens before truncation. */
    public int tokensBefore;

    /** Bytes of the record's value as it arrived. */
    public int valueBytes;
    /**
     * SHA-256 of the record's value as it arrived (64 hex digits); null when {@link #text} is the whole value
     * exactly (its UTF-8 is the value's bytes), whose hash is then that of the text. Most lines are, so most are
     * not hashed at all.
     */
    public String valueSha256;
    /** The value had more bytes than {@code linnet.record.max-bytes}: {@link #text} is from its first bytes. */
    public boolean valueCut;

    /** Not all of the text was scored: the value was cut, or it had more tokens than the limit. */
    public boolean truncated;

    public boolean invalidUtf8;
    /** The key was missing and the default key used. */
    public boolean defaultKey;

    public LogLine() {}
}
