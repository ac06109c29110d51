package dev.linnet.flink.jobs;

import dev.linnet.flink.kafka.EmbeddedKafkaExtension;
import java.nio.file.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the jobs' end-to-end tests share: a Flink MiniCluster (one TaskManager, two slots), the in-JVM KRaft
 * broker and the stand-in model, started once per test class.
 */
abstract class InProcessJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    static Path models;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = StandInModel.write(models.resolve("stand-in"));
    }
}
