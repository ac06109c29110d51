package dev.linnet.flink.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The Kafka broker of the cluster test: a process on this machine ({@link KafkaBrokerProcess}) or a container
 * ({@link KafkaBrokerContainer}). The test's clients and the Flink jobs may reach it at different addresses.
 */
interface KafkaBroker extends AutoCloseable {

    /** Client settings for this test JVM (bootstrap servers as seen from here). */
    Properties clientProperties();

    /** Bootstrap servers as the Flink cluster's processes reach the broker (the jobs' --bootstrap-servers). */
    String bootstrapServersForJobs();

    /** Most bytes of an input record: input topics take records this large (a broker's default is 1 MiB). */
    int MAX_INPUT_RECORD_BYTES = 16 * 1024 * 1024;

    /** Creates topics, one replica each (the test's brokers create none by themselves). */
    default void createTopics(int partitions, String... names) {
        createTopics(partitions, Map.of(), names);
    }

    /** Creates input topics, which take records of up to {@link #MAX_INPUT_RECORD_BYTES}. */
    default void createInputTopics(int partitions, String... names) {
        createTopics(partitions, Map.of("max.message.bytes", String.valueOf(MAX_INPUT_RECORD_BYTES)), names);
    }

    /** Creates topics with the given topic configuration. */
    default void createTopics(int partitions, Map<String, String> configs, String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String n : names) {
            topics.add(new NewTopic(n, partitions, (short) 1).configs(configs));
        }
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics " + List.of(names) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    void close();
}
