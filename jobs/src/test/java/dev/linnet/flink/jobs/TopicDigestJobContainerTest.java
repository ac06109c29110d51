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

/** {@link TopicDigestJobTest}'s scenarios against a Kafka broker container; skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class TopicDigestJobContainerTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.2.0");

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
    void everyNRecordsWithNovelRepresentativeAndSummary() throws Exception {
        new TopicDigestScenario(KAFKA.getBootstrapServers(), model).everyNRecordsWithNovelRepresentativeAndSummary();
    }

    @Test
    void everyTOfEventTimeClosesDigests() throws Exception {
        new TopicDigestScenario(KAFKA.getBootstrapServers(), model).everyTOfEventTimeClosesDigests();
    }
}
