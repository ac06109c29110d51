package dev.linnet.flink.jobs;

import java.nio.file.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same scenarios as {@link LogAnomalyJobTest}, against a Kafka broker container (apache/kafka, the
 * broker version the build pins). Skipped where no Docker engine is reachable.
 */
@Testcontainers(disabledWithoutDocker = true)
class LogAnomalyJobContainerTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.2.0")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    static Path models;

    private static Path model;

    @BeforeAll
    static void model() throws Exception {
        model = StandInModel.write(models.resolve("stand-in"));
    }

    @Test
    void everyRecordIsScoredOrDeadLetteredExactlyOnceDespiteAFailure() throws Exception {
        LogAnomalyScenario scenario = new LogAnomalyScenario(KAFKA.getBootstrapServers(), model, "tc-failure");
        var sent = scenario.feed();
        scenario.run(true);
        scenario.check(sent);
    }

    @Test
    void jsonLinesWithoutTheConfiguredFieldsGoToTheDeadLetterTopic() throws Exception {
        new LogAnomalyScenario(KAFKA.getBootstrapServers(), model, "tc-json").runJsonCase();
    }
}
