package dev.linnet.flink.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real one-node Kafka broker (KRaft, broker and controller combined) inside this JVM, on a free loopback
 * port, with its log in a temporary directory removed on {@link #close()}.
 *
 * <p>Used by the tests and by the jobs' embedded default run (no {@code --bootstrap-servers} given). It is the
 * only class that touches Kafka's internal {@code KafkaClusterTestKit}, whose API may change between Kafka
 * releases: the Kafka version is pinned in the build, and a change stays inside this file.
 *
 * <p>The broker is configured for one node (internal topics with replication factor 1) and allows
 * transactions as long as Flink's default ({@code transaction.timeout.ms} of one hour), so an exactly-once
 * KafkaSink works against it without extra settings.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Flink's KafkaSink asks for one-hour transactions by default; the broker's default cap is 15 minutes. */
    private static final long MAX_TRANSACTION_TIMEOUT_MS = TimeUnit.HOURS.toMillis(1);

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
    }

    /** Formats, starts and waits for a one-node broker; about three seconds. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a one-node broker with extra broker settings (they override the defaults set here).
     *
     * @throws IllegalStateException if the broker does not come up
     */
    public static EmbeddedKafka start(Map<String, String> brokerOverrides) {
        Objects.requireNonNull(brokerOverrides, "brokerOverrides");
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "1")
                    .setConfigProp("transaction.max.timeout.ms", Long.toString(MAX_TRANSACTION_TIMEOUT_MS))
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false");
            for (Map.Entry<String, String> e : brokerOverrides.entrySet()) {
                builder.setConfigProp(e.getKey(), e.getValue());
            }
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(cluster, e);
            throw new IllegalStateException("the embedded Kafka broker did not start: " + e, e);
        }
    }

    /** {@code host:port} of the broker's client listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Client properties with {@code bootstrap.servers} set; add serializers and the rest. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /**
     * Creates topics (replication factor 1) and waits until they exist; a topic that already exists is fine.
     *
     * @throws IllegalArgumentException on a blank name or fewer than one partition
     */
    public void createTopics(int partitions, String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a topic name is blank");
            }
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        try (Admin admin = Admin.create(clientProperties())) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "could not create topic " + entry.getKey() + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics not created within 30 s: " + List.of(names), e);
        }
    }

    /** Stops the broker and deletes its log directory. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the embedded Kafka broker did not stop cleanly: " + e, e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception cause) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
