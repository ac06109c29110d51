package dev.linnet.flink.local;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A read_committed consumer of the job's output topics: sees exactly what downstream consumers would. */
final class TopicWatcher implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;

    TopicWatcher(String bootstrapServers, List<String> topics, String groupId) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(topics);
    }

    /** Polls once; hands each record's topic and value to {@code sink}; returns how many came. */
    int poll(Duration timeout, BiConsumer<String, String> sink) {
        int n = 0;
        for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
            sink.accept(r.topic(), r.value());
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
