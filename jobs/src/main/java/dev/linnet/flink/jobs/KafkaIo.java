package dev.linnet.flink.jobs;

import java.util.Map;
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

    /**
     * The sinks' {@code max.request.size} unless a --kafka-property sets it: 1 MiB, Kafka's own default, which a
     * broker's and a topic's default record limit ({@code message.max.bytes}, {@code max.message.bytes}: 1 MiB
     * and 12 bytes) also take.
     */
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;

    /** Room left in a request for Kafka's own record and batch headers. */
    private static final int HEADER_ROOM = 4 * 1024;

    /**
     * The least {@code max.request.size} the jobs accept: a minimal dead letter ({@link DeadLetters#MINIMAL_MAX_BYTES})
     * must fit a record under it, or the dead-letter sink fails on it and the job restarts on the same record.
     */
    public static final int MIN_REQUEST_BYTES = DeadLetters.MINIMAL_MAX_BYTES + HEADER_ROOM;

    private KafkaIo() {}

    /**
     * Reads raw records; only committed records of transactional producers (read_committed). A value over
     * {@code maxValueBytes} is cut at once (see {@link RawLogRecord#capped}).
     */
    public static KafkaSource<RawLogRecord> source(KafkaEndpoints kafka, int maxValueBytes) {
        KafkaSourceBuilder<RawLogRecord> b = KafkaSource.<RawLogRecord>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(kafka.inputTopic())
                .setGroupId(kafka.groupId())
                .setDeserializer(new RawLogRecordDeserializer(maxValueBytes))
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
        // said outright: JsonEncoder keeps every record within maxRecordBytes(kafka), under this and under the
        // brokers' default record limit, so no record is refused and the sink never fails on one. Overridable.
        props.setProperty("max.request.size", String.valueOf(MAX_REQUEST_BYTES));
        props.putAll(kafka.clientProperties());
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(props)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix() + "-" + idSuffix)
                .build();
    }

    /**
     * Most bytes of key and value of one record the jobs write: under the smaller of {@link #MAX_REQUEST_BYTES}
     * and a {@code max.request.size} given as a --kafka-property, with room for Kafka's headers.
     *
     * @throws IllegalArgumentException naming the property and {@link #MIN_REQUEST_BYTES} when a smaller one is
     *     given
     */
    public static int maxRecordBytes(KafkaEndpoints kafka) {
        return maxRecordBytes(kafka.clientProperties());
    }

    /** As {@link #maxRecordBytes(KafkaEndpoints)}, from the --kafka-property values alone. */
    static int maxRecordBytes(Map<String, String> clientProperties) {
        int request = MAX_REQUEST_BYTES;
        String given = clientProperties.get("max.request.size");
        if (given != null) {
            try {
                request = Math.min(request, Integer.parseInt(given.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--kafka-property max.request.size must be a number of bytes, got " + given);
            }
        }
        if (request < MIN_REQUEST_BYTES) {
            throw new IllegalArgumentException("--kafka-property max.request.size must be at least "
                    + MIN_REQUEST_BYTES + " bytes (a minimal dead letter and Kafka's headers must fit one record), got "
                    + request);
        }
        return request - HEADER_ROOM;
    }
}
