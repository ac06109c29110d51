package dev.linnet.flink.jobs;

/** An output record as the sink writes it: key and value bytes, checked against the sink's size limit. A POJO. */
public final class EncodedRecord {
    /** Null for no key. */
    public byte[] key;

    public byte[] value;

    public EncodedRecord() {}

    public EncodedRecord(byte[] key, byte[] value) {
        this.key = key;
        this.value = value;
    }

    /** Bytes of key and value together. */
    public int size() {
        return (key == null ? 0 : key.length) + value.length;
    }
}
