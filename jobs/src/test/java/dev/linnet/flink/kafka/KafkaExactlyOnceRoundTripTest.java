package dev.linnet.flink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real broker, a real Flink job: Kafka source, a map that fails once after a completed checkpoint, and an
 * exactly-once (transactional) Kafka sink. A read_committed consumer must then see every input record
 * exactly once: without transactions the replay after the failure would show up as duplicates.
 */
class KafkaExactlyOnceRoundTripTest {

    private static final int RECORDS = 1000;
    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void everyRecordArrivesExactlyOnceDespiteAFailure() throws Exception {
        KAFKA.broker().createTopics(PARALLELISM, "round-trip-in", "round-trip-out");
        produce("round-trip-in", RECORDS);

        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(100, CheckpointingMode.EXACTLY_ONCE);

        KafkaSource<String> source = KafkaSource.<String>builder()
                .setBootstrapServers(KAFKA.broker().bootstrapServers())
                .setTopics("round-trip-in")
                .setGroupId("round-trip")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .build();
        KafkaSink<String> sink = KafkaSink.<String>builder()
                .setBootstrapServers(KAFKA.broker().bootstrapServers())
                .setRecordSerializer(KafkaRecordSerializationSchema.<String>builder()
                        .setTopic("round-trip-out")
                        .setValueSerializationSchema(new SimpleStringSchema())
                        .build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix("round-trip-test")
                .build();

        FailOnceAfterCheckpoint.reset();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-in")
                .map(new FailOnceAfterCheckpoint())
                .sinkTo(sink);
        env.execute("kafka exactly-once round trip");

        assertTrue(FailOnceAfterCheckpoint.FAILED.get(), "the injected failure never happened");

        List<String> values = KafkaTestClients.readCommitted(
                KAFKA.broker().bootstrapServers(), "round-trip-out", RECORDS, Duration.ofSeconds(60));
        assertEquals(RECORDS, values.size(), "records read back with read_committed");
        Map<String, Integer> seen = new HashMap<>();
        for (String v : values) seen.merge(v, 1, Integer::sum);
        assertEquals(RECORDS, seen.size(), "distinct records read back");
        for (int i = 0; i < RECORDS; i++) {
            String expected = "seen:record-" + i;
            assertEquals(1, seen.getOrDefault(expected, 0), "copies of " + expected);
        }
    }

    private static void produce(String topic, int count) {
        Properties p = KAFKA.broker().clientProperties();
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + (i % 7), "record-" + i));
            }
            producer.flush();
        }
    }

    /**
     * Tags each record; on the first attempt of subtask 0, once it has passed a quarter of its input, it throws at
     * the first record after a completed checkpoint, so the job restores and replays part of the input. Until
     * that checkpoint it slows down (10 ms a record) rather than waits: a barrier only passes between two
     * records, so a task blocked inside one record would hold every checkpoint back until it gave up.
     */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<String, String> implements CheckpointListener {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicLong CHECKPOINTS_DONE = new AtomicLong();

        private transient boolean mayFail;
        private transient long records;

        static void reset() {
            FAILED.set(false);
            CHECKPOINTS_DONE.set(0);
        }

        @Override
        public void open(OpenContext context) {
            mayFail = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0
                    && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0;
        }

        @Override
        public String map(String value) throws Exception {
            records++;
            if (mayFail && records >= RECORDS / (4 * PARALLELISM)) {
                if (CHECKPOINTS_DONE.get() == 0) {
                    Thread.sleep(10);
                } else {
                    FAILED.set(true);
                    throw new IllegalStateException("injected failure after " + records + " records");
                }
            }
            return "seen:" + value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS_DONE.incrementAndGet();
        }
    }
}
