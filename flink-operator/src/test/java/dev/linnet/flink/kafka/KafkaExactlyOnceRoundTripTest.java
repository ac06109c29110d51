package dev.linnet.flink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
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
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
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

        Map<String, Integer> seen = readCommitted("round-trip-out", RECORDS);
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

    /** Reads until {@code expected} records arrived (or 60 s), then one more second to catch duplicates. */
    private static Map<String, Integer> readCommitted(String topic, int expected) {
        Properties p = KAFKA.broker().clientProperties();
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "verifier");
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<String, Integer> counts = new HashMap<>();
        List<String> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    all.add(r.value());
                    counts.merge(r.value(), 1, Integer::sum);
                }
                if (all.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                }
            }
        }
        assertEquals(expected, all.size(), "records read back with read_committed");
        return counts;
    }

    /**
     * Tags each record; on the first attempt of subtask 0 it waits for a completed checkpoint once it has
     * passed a quarter of the input, then throws, so the job restores and replays part of the input.
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
                long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (CHECKPOINTS_DONE.get() == 0 && System.nanoTime() < waitUntil) {
                    Thread.sleep(10);
                }
                FAILED.set(true);
                throw new IllegalStateException("injected failure after " + records + " records");
            }
            return "seen:" + value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS_DONE.incrementAndGet();
        }
    }
}
