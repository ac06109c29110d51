package dev.linnet.flink.jobs;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps every Kafka record, with its coordinates, as bytes: nothing can fail here, so nothing is lost here. A value
 * over the byte limit is cut here, before anything copies or decodes it (see {@link RawLogRecord#capped}).
 */
public final class RawLogRecordDeserializer implements KafkaRecordDeserializationSchema<RawLogRecord> {

    private static final long serialVersionUID = 1L;

    private final int maxValueBytes;

    /** @param maxValueBytes most bytes of a value that are kept (the jobs' {@code linnet.record.max-bytes}) */
    public RawLogRecordDeserializer(int maxValueBytes) {
        if (maxValueBytes < 1) {
            throw new IllegalArgumentException("the most bytes of a value must be at least 1, got " + maxValueBytes);
        }
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawLogRecord> out) {
        out.collect(RawLogRecord.capped(
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                record.key(),
                record.value(),
                maxValueBytes));
    }

    @Override
    public TypeInformation<RawLogRecord> getProducedType() {
        return TypeInformation.of(RawLogRecord.class);
    }
}
