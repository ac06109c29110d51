package dev.linnet.flink.jobs;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records that {@link JsonEncoder} made (and checked) to one topic, as they are: nothing can fail here.
 * The Kafka record timestamp is the time of writing, not the input's event time (which is in the JSON): output
 * stamped with old event times (a replay of last month's logs) would fall to the topic's time-based retention
 * at once, and a timer's time (Long.MAX_VALUE at the end of a bounded input) would be refused by the broker.
 */
public final class EncodedRecordSerializer implements KafkaRecordSerializationSchema<EncodedRecord> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public EncodedRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(EncodedRecord r, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, null, r.key, r.value);
    }
}
