package dev.linnet.flink.cluster.probe;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The cluster test's stand-in for the log-anomaly job until that exists: Kafka source, per-key state (a sequence
 * number and a running hash of the key's whole history), exactly-once Kafka sink. Like log-anomaly, each output
 * depends on everything its key saw before, so a lost, duplicated or reordered record, or state restored wrongly
 * after a failure or a rescale, changes the outputs. Checkpointing and the state backend come from the cluster's
 * configuration (deploy/flink/config.yaml), as they would for the real jobs.
 *
 * <p>Arguments: {@code --bootstrap-servers HOST:PORT --input-topic T --output-topic T --transactional-id-prefix P}.
 */
public final class ExactlyOnceProbeJob {

    private ExactlyOnceProbeJob() {}

    public static void main(String[] args) throws Exception {
        ProbeArguments a = ProbeArguments.parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        KafkaSource<Tuple2<String, String>> source = KafkaSource.<Tuple2<String, String>>builder()
                .setBootstrapServers(a.bootstrapServers())
                .setTopics(a.inputTopic())
                .setGroupId(a.transactionalIdPrefix())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new KeyedLineDeserializer())
                .build();

        Properties sinkProperties = new Properties();
        // below the broker's transaction.max.timeout.ms (the default one hour is the broker's cap in the test)
        sinkProperties.setProperty("transaction.timeout.ms", "900000");
        String outputTopic = a.outputTopic();
        KafkaSink<Tuple2<String, String>> sink = KafkaSink.<Tuple2<String, String>>builder()
                .setBootstrapServers(a.bootstrapServers())
                .setKafkaProducerConfig(sinkProperties)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(a.transactionalIdPrefix())
                .setRecordSerializer((KafkaRecordSerializationSchema<Tuple2<String, String>>)
                        (element, context, timestamp) -> new ProducerRecord<>(
                                outputTopic,
                                element.f0.getBytes(StandardCharsets.UTF_8),
                                element.f1.getBytes(StandardCharsets.UTF_8)))
                .build();

        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-in")
                .uid("kafka-in")
                .keyBy(new FirstField())
                .process(new KeyedHistoryFunction())
                .uid("keyed-history")
                .sinkTo(sink)
                .uid("kafka-out");
        env.execute("linnet cluster-it exactly-once probe");
    }
}
