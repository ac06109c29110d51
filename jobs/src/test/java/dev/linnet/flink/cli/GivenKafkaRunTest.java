package dev.linnet.flink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.flink.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code log-anomaly --bootstrap-servers ...}: the production path of the command line (no samples, no
 * printing), here against an in-JVM broker standing in for a real cluster, bounded so that it ends.
 */
class GivenKafkaRunTest {

    @Test
    void theCommandScoresAGivenTopicIntoAGivenTopic() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(2, "app-logs", "app-scores", "app-dlq");
            Properties p = kafka.clientProperties();
            p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                for (int i = 0; i < 30; i++) {
                    producer.send(new ProducerRecord<>(
                            "app-logs", "svc-" + (i % 2), "GET /item/" + i + " 200 in " + i + " ms"));
                }
                producer.send(new ProducerRecord<>("app-logs", "svc-0", ""));
            }
            int code = LinnetJobs.execute(
                    "log-anomaly",
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--input-topic",
                    "app-logs",
                    "--output-topic",
                    "app-scores",
                    "--dead-letter-topic",
                    "app-dlq",
                    "--starting-offsets",
                    "earliest",
                    "--bounded",
                    "--checkpoint-interval",
                    "500ms",
                    "--transactional-id-prefix",
                    "given-kafka-test");
            assertEquals(0, code);
            List<String> scores = read(kafka, "app-scores", 30);
            assertEquals(30, scores.size());
            assertTrue(scores.get(0).contains("\"meanSurprisal\""), scores.get(0));
            List<String> letters = read(kafka, "app-dlq", 1);
            assertTrue(letters.get(0).contains("EMPTY_VALUE"), letters.get(0));
        }
    }

    private static List<String> read(EmbeddedKafka kafka, String topic, int expected) {
        Properties p = kafka.clientProperties();
        p.setProperty("group.id", "given-kafka-" + topic);
        p.setProperty("auto.offset.reset", "earliest");
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        p.setProperty("value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        List<String> out = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(p)) {
            consumer.subscribe(List.of(topic));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
        }
        return out;
    }
}
