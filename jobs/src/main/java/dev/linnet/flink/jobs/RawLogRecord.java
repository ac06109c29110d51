package dev.linnet.flink.jobs;

/**
 * One Kafka record as it arrived, bytes untouched: decoding and validation happen in {@link ParseLogLines},
 * where a bad record can go to the dead-letter topic instead of failing the source. A POJO.
 */
public final class RawLogRecord {
    public String topic;
    public int partition;
    public long offset;
    /** The Kafka record's timestamp (ms since the epoch); also the Flink record's event time. */
    public long timestamp;
    /** Null when the record has no key. */
    public byte[] key;
    /** Null for a tombstone. */
    public byte[] value;

    public RawLogRecord() {}

    public RawLogRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    /** {@code topic-partition@offset}, how records are named in messages. */
    public String coordinates() {
        return topic + "-" + partition + "@" + offset;
    }
}
