package dev.linnet.flink.jobs;

import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The one place the jobs build their Kafka source and sinks, used alike by production runs, the embedded
 * run, the benchmark and the tests.
 */
public final class KafkaIo {

    private KafkaIo() {}

    /** Reads raw records; only committed records of transactional producers (read_committed). */
    public static KafkaSource<RawLogRecord> source(KafkaEndpoints kafka) {
        KafkaSourceBuilder<RawLogRecord> b = KafkaSource.<RawLogRecord>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(kafka.inputTopic())
                .setGroupId(kafka.groupId())
                .setDeserializer(new RawLogRecordDeserializer())
                .setStartingOffsets(switch (kafka.startingOffsets()) {
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                    case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                })
                .setProperty("isolation.level", "read_committed");
        if (kafka.bounded()) {
            b.setBounded(OffsetsInitializer.latest());
        }
        kafka.clientProperties().forEach(b::setProperty);
        return b.build();
    }

    /**
     * An exactly-once (transactional) sink: records become visible to read_committed consumers when the
     * checkpoint after them completes. {@code idSuffix} keeps the transactional ids of a job's sinks apart.
     */
    public static <T> KafkaSink<T> exactlyOnceSink(KafkaEndpoints kafka, String idSuffix,
                                                   KafkaRecordSerializationSchema<T> serializer) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(props)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix() + "-" + idSuffix)
                .build();
    }
}
