package dev.linnet.flink.cluster;

import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A Kafka broker container (apache/kafka, the broker version the build pins) for the container variant of the
 * cluster test: this JVM reaches it through its mapped port, the Flink containers at {@code kafka:19092} on the
 * shared network. Broker settings as in deploy/docker-compose.yml and {@link KafkaBrokerProcess}.
 */
final class KafkaBrokerContainer implements KafkaBroker {

    static final String IMAGE = "apache/kafka:4.2.0";
    private static final String LISTENER_FOR_JOBS = "kafka:19092";

    private final KafkaContainer container;

    private KafkaBrokerContainer(KafkaContainer container) {
        this.container = container;
    }

    static KafkaBrokerContainer start(Network network) {
        KafkaContainer c = new KafkaContainer(IMAGE)
                .withNetwork(network)
                .withNetworkAliases("kafka")
                .withListener(LISTENER_FOR_JOBS)
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                // Flink's exactly-once KafkaSink may ask for up to one-hour transactions
                .withEnv("KAFKA_TRANSACTION_MAX_TIMEOUT_MS", "3600000")
                // the test's records carry fixed timestamps from 2023: no time-based retention
                .withEnv("KAFKA_LOG_RETENTION_MS", "-1")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        c.start();
        return new KafkaBrokerContainer(c);
    }

    @Override
    public Properties clientProperties() {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, container.getBootstrapServers());
        return p;
    }

    @Override
    public String bootstrapServersForJobs() {
        return LISTENER_FOR_JOBS;
    }

    @Override
    public void close() {
        container.stop();
    }
}
