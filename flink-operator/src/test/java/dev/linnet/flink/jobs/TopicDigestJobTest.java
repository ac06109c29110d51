package dev.linnet.flink.jobs;

import dev.linnet.flink.kafka.EmbeddedKafka;
import java.nio.file.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The topic-digest job on a MiniCluster against the in-JVM broker ({@link TopicDigestScenario}). */
class TopicDigestJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path models;

    private static EmbeddedKafka kafka;
    private static Path model;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        model = StandInModel.write(models.resolve("stand-in"));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyNRecordsWithNovelRepresentativeAndSummary() throws Exception {
        new TopicDigestScenario(kafka.bootstrapServers(), model).everyNRecordsWithNovelRepresentativeAndSummary();
    }

    @Test
    void everyTOfEventTimeClosesDigestsAtTheSameRecordsWhateverTheWatermarks() throws Exception {
        new TopicDigestScenario(kafka.bootstrapServers(), model).everyTOfEventTimeClosesDigests();
    }
}
