package dev.linnet.flink.jobs;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Keeps every Kafka record, with its coordinates, as bytes: nothing can fail here, so nothing is lost here. */
public final class RawLogRecordDeserializer implements KafkaRecordDeserializationSchema<RawLogRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawLogRecord> out) {
        out.collect(new RawLogRecord(
                record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(), record.value()));
    }

    @Override
    public TypeInformation<RawLogRecord> getProducedType() {
        return TypeInformation.of(RawLogRecord.class);
    }
}
