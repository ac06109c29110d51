package dev.linnet.flink.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker as its own process: KRaft, broker and controller combined, on loopback ports, its storage
 * formatted by Kafka's StorageTool first, as a Kafka distribution's scripts do.
 */
final class KafkaBrokerProcess implements KafkaBroker {

    private final JavaProcess broker;
    private final String bootstrapServers;

    private KafkaBrokerProcess(JavaProcess broker, String bootstrapServers) {
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
    }

    static KafkaBrokerProcess start(Path workDir, String classpath) {
        int port = FlinkProcessCluster.freePort();
        int controllerPort = FlinkProcessCluster.freePort();
        Path config = workDir.resolve("kafka/server.properties");
        List<String> lines = List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + workDir.resolve("kafka/data"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                // Flink's exactly-once KafkaSink may ask for up to one-hour transactions
                "transaction.max.timeout.ms=3600000",
                // the test's records carry fixed timestamps from 2023 (so runs compare equal): time-based
                // retention (7 days by default) would delete them, input and output, at its first check
                "log.retention.ms=-1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false");
        try {
            Files.createDirectories(config.getParent());
            Files.write(config, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> jvm = List.of(
                "-Xmx512m",
                "-Dlog4j2.configurationFile="
                        + ClusterClasspath.resource("cluster/log4j-kafka.properties")
                                .toUri(),
                "-Dkafka.logs.dir=" + workDir.resolve("logs"));
        JavaProcess.run(
                "kafka storage format",
                jvm,
                classpath,
                "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
                workDir.resolve("logs/kafka-storage-format.out"),
                120);
        JavaProcess broker = JavaProcess.start(
                "kafka", jvm, classpath, "kafka.Kafka", List.of(config.toString()), workDir.resolve("logs/kafka.out"));
        KafkaBrokerProcess k = new KafkaBrokerProcess(broker, "127.0.0.1:" + port);
        k.awaitReady(Duration.ofSeconds(90));
        return k;
    }

    @Override
    public String bootstrapServersForJobs() {
        return bootstrapServers; // the cluster's JVMs share this machine's loopback
    }

    @Override
    public Properties clientProperties() {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited:\n" + broker.logTail());
            }
            Properties p = clientProperties();
            p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
            p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
            try (Admin admin = Admin.create(p)) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            FlinkRest.sleep(500);
        }
        throw new IllegalStateException("the Kafka broker did not come up within " + timeout.toSeconds() + " s (" + last
                + "):\n" + broker.logTail());
    }

    String logTail() {
        return broker.logTail();
    }

    @Override
    public void close() {
        broker.close();
    }
}
