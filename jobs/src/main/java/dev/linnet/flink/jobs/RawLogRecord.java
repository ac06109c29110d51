package dev.linnet.flink.jobs;

import java.util.Arrays;

/**
 * One Kafka record as it arrived: decoding and validation happen in {@link ParseLogLines}, where a bad record can
 * go to the dead-letter topic instead of failing the source. A value longer than the jobs' byte limit
 * ({@code linnet.record.max-bytes}) is already cut here, to its first bytes at a character boundary, with its
 * length and SHA-256 kept; everything else is untouched. A POJO.
 */
public final class RawLogRecord {
    public String topic;
    public int partition;
    public long offset;
    /** The Kafka record's timestamp (ms since the epoch); also the Flink record's event time. */
    public long timestamp;
    /** Null when the record has no key. */
    public byte[] key;
    /** Null for a tombstone; the first bytes only when the value was cut (see {@link #valueBytes}). */
    public byte[] value;
    /** Bytes of the value as it arrived (more than {@code value.length} when it was cut). */
    public int valueBytes;
    /**
     * SHA-256 of the whole value as it arrived: set when it was cut, else null until {@link #valueSha256()} first
     * computes it from {@link #value}.
     */
    public String valueSha256;

    public RawLogRecord() {}

    public RawLogRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
        this.valueBytes = value == null ? 0 : value.length;
    }

    /**
     * The record with its value cut to at most {@code maxValueBytes} (at a UTF-8 character boundary), keeping its
     * length and hash; the record itself when the value fits.
     */
    public static RawLogRecord capped(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, int maxValueBytes) {
        if (value == null || value.length <= maxValueBytes) {
            return new RawLogRecord(topic, partition, offset, timestamp, key, value);
        }
        RawLogRecord r = new RawLogRecord(
                topic,
                partition,
                offset,
                timestamp,
                key,
                Arrays.copyOf(value, BoundedText.utf8Boundary(value, maxValueBytes)));
        r.valueBytes = value.length;
        r.valueSha256 = BoundedText.sha256(value);
        return r;
    }

    /**
     * SHA-256 of the whole value as it arrived (null for a tombstone): the hash kept when the value was cut, else
     * computed from {@link #value} the first time it is asked for and kept.
     */
    public String valueSha256() {
        if (valueSha256 == null && value != null) {
            valueSha256 = BoundedText.sha256(value);
        }
        return valueSha256;
    }

    /**
     * Bytes of the value as it arrived; 0 for a tombstone. {@link #valueBytes}, or the length of {@link #value}
     * where the field was left 0 (a record made with the no-argument constructor).
     */
    public int valueBytes() {
        return value == null ? 0 : Math.max(valueBytes, value.length);
    }

    /** Whether {@link #value} holds only the first bytes of the value. */
    public boolean valueCut() {
        return value != null && valueBytes() > value.length;
    }

    /** {@code topic-partition@offset}, how records are named in messages. */
    public String coordinates() {
        return topic + "-" + partition + "@" + offset;
    }
}
