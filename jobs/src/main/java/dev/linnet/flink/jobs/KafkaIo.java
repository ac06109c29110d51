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

    /** Transaction timeout of the exactly-once sinks unless a --kafka-property sets transaction.timeout.ms. */
    public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 15 * 60 * 1000L;

    private KafkaIo() {}

    /** Reads raw records; only committed records of transactional producers (read_committed). */
    public static KafkaSource<RawLogRecord> source(KafkaEndpoints kafka) {
        KafkaSourceBuilder<RawLogRecord> b = KafkaSource.<RawLogRecord>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(kafka.inputTopic())
                .setGroupId(kafka.groupId())
                .setDeserializer(new RawLogRecordDeserializer())
                .setStartingOffsets(
                        switch (kafka.startingOffsets()) {
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
    public static <T> KafkaSink<T> exactlyOnceSink(
            KafkaEndpoints kafka, String idSuffix, KafkaRecordSerializationSchema<T> serializer) {
        Properties props = new Properties();
        // Kafka brokers cap transactions at 15 minutes by default (transaction.max.timeout.ms) and refuse the
        // sink's own default of one hour; 15 minutes must cover a checkpoint plus a restart. Overridable.
        props.setProperty("transaction.timeout.ms", String.valueOf(DEFAULT_TRANSACTION_TIMEOUT_MS));
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
