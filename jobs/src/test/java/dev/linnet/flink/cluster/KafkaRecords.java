package dev.linnet.flink.cluster;

import dev.linnet.flink.jobs.StreamKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Producing the test's input (remembering where each record landed) and reading outputs with read_committed. */
final class KafkaRecords {

    /**
     * Input record i as produced: key and value as the job reads them (the stream key; the value decoded, invalid
     * bytes as U+FFFD), record timestamp, and its position "partition/offset".
     */
    record Produced(int index, String key, String value, long timestamp, String position) {}

    /** A fixed timestamp per record: outputs that carry it stay comparable between runs. */
    static long timestampOf(int index) {
        return 1_700_000_000_000L + index * 10L;
    }

    /** An output record as a read_committed consumer sees it. */
    record Output(String key, String value) {}

    private KafkaRecords() {}

    /**
     * Produces records [from, to) of the job's input, in order, waiting for each acknowledgement so positions
     * are deterministic (the same sequence into a fresh topic gives the same offsets). Paced if millisPerRecord > 0.
     */
    static List<Produced> produce(
            Properties client, String topic, ClusterJob job, int from, int to, long millisPerRecord) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(KafkaBroker.MAX_INPUT_RECORD_BYTES + 64 * 1024));
        List<Produced> out = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = from; i < to; i++) {
                byte[] key = job.inputKeyBytes(i);
                byte[] value = job.inputValueBytes(i);
                long timestamp = timestampOf(i);
                RecordMetadata m = producer.send(new ProducerRecord<>(topic, null, timestamp, key, value))
                        .get();
                out.add(new Produced(
                        i,
                        StreamKeys.of(key).key(),
                        new String(value, StandardCharsets.UTF_8),
                        timestamp,
                        m.partition() + "/" + m.offset()));
                if (millisPerRecord > 0) {
                    FlinkRest.sleep(millisPerRecord);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not produce to " + topic + ": " + e.getCause(), e);
        }
        return out;
    }

    /**
     * A read_committed consumer that follows a topic from its beginning on its own thread and keeps every record
     * it sees, duplicates included (it never commits offsets, it reads all partitions itself).
     */
    static final class CommittedReader implements AutoCloseable {
        private final List<Output> seen = new ArrayList<>();
        private final Map<String, Integer> positions = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile RuntimeException failure;

        CommittedReader(Properties client, String topic, ClusterJob job) {
            Properties p = new Properties();
            p.putAll(client);
            p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            thread = new Thread(
                    () -> {
                        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
                            List<TopicPartition> partitions = new ArrayList<>();
                            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                                partitions.add(new TopicPartition(topic, info.partition()));
                            }
                            consumer.assign(partitions);
                            consumer.seekToBeginning(partitions);
                            while (running.get()) {
                                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                                    synchronized (seen) {
                                        seen.add(new Output(r.key(), r.value()));
                                    }
                                    positions.merge(job.answeredInput(r.key(), r.value()), 1, Integer::sum);
                                }
                            }
                        } catch (RuntimeException e) {
                            failure = e;
                        }
                    },
                    "committed-reader-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        /** Distinct inputs answered so far. */
        int distinctAnswered() {
            checkFailure();
            return positions.size();
        }

        List<Output> all() {
            checkFailure();
            synchronized (seen) {
                return List.copyOf(seen);
            }
        }

        private void checkFailure() {
            if (failure != null) {
                throw new IllegalStateException("the read_committed reader failed: " + failure, failure);
            }
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
