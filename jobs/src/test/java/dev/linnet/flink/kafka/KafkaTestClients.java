package dev.linnet.flink.kafka;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Plain Kafka clients for tests, against any broker (in-JVM or a container). */
public final class KafkaTestClients {

    private KafkaTestClients() {}

    /** Most bytes of a record the test producer sends and an input topic of {@link #createInputTopic} takes. */
    public static final int MAX_TEST_RECORD_BYTES = 16 * 1024 * 1024;

    public static void createTopics(String bootstrap, int partitions, String... names) throws Exception {
        createTopics(bootstrap, partitions, Map.of(), names);
    }

    /**
     * A topic that takes records of up to {@link #MAX_TEST_RECORD_BYTES} (a broker's default is 1 MiB), for input
     * that must reach the job however large.
     */
    public static void createInputTopic(String bootstrap, int partitions, String name) throws Exception {
        createTopics(bootstrap, partitions, Map.of("max.message.bytes", String.valueOf(MAX_TEST_RECORD_BYTES)), name);
    }

    private static void createTopics(String bootstrap, int partitions, Map<String, String> configs, String... names)
            throws Exception {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, partitions, (short) 1).configs(configs));
            }
            for (var f : admin.createTopics(topics).values().values()) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Sends each record (null key allowed), one at a time, and returns where each landed. */
    public static List<RecordMetadata> produce(
            String bootstrap, String topic, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(MAX_TEST_RECORD_BYTES + 64 * 1024));
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, r.partition(), r.timestamp(), r.key(), r.value()))
                        .get());
            }
        }
        return sent;
    }

    /**
     * Reads a topic with read_committed until {@code expected} values came (or {@code timeout}), then one more
     * second so that duplicates would show.
     */
    public static List<String> readCommitted(String bootstrap, String topic, int expected, Duration timeout) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "verifier-" + topic + "-" + System.nanoTime());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                if (values.size() >= expected && settle == Long.MAX_VALUE) {
                    settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                }
            }
        }
        if (values.size() < expected) {
            fail("read " + values.size() + " of " + expected + " records from " + topic + " with read_committed");
        }
        return values;
    }
}
