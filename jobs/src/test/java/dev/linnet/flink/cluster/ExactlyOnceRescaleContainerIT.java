package dev.linnet.flink.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The container variant of {@link ExactlyOnceRescaleIT}, for machines with Docker (profile cluster-it; skipped where
 * no Docker engine is reachable, as the jobs' other Testcontainers tests are): the image built from
 * deploy/Dockerfile as JobManager and two TaskManagers, a Kafka broker container, and the same
 * {@link ExactlyOnceRescaleScenario}: log-anomaly (or -Dlinnet.cluster-it.job=probe) submitted through the REST
 * API, a TaskManager container killed with SIGKILL mid-stream three times, restores at parallelism 3 and 1, every input
 * answered exactly once under read_committed and equal to an undisturbed run. Unlike the process variant, the job
 * reads the model where the image puts it (linnet.model.path, /opt/flink/models/linnet-default).
 */
@Testcontainers(disabledWithoutDocker = true)
class ExactlyOnceRescaleContainerIT {

    /** Cluster start included, the image build (and the first pull of flink and kafka images) excluded. */
    private static final Duration OVERALL = Duration.ofMinutes(20);

    private static final Duration STALL = Duration.ofMinutes(2);

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void survivesSigkilledTaskManagerContainersAndRescalesExactlyOnce() throws Exception {
        ClusterJob job = ClusterJob.selected();
        Path work = Path.of("target", "cluster-it")
                .resolve("containers-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                .toAbsolutePath();
        Files.createDirectories(work);
        Path repositoryRoot = Path.of("..").toAbsolutePath().normalize();

        try (Network network = Network.newNetwork();
                KafkaBrokerContainer kafka = KafkaBrokerContainer.start(network);
                FlinkContainerCluster flink = FlinkContainerCluster.startJobManager(
                        network, repositoryRoot, ExactlyOnceRescaleScenario.smallClusterSettings())) {
            ProgressWait clock = new ProgressWait(OVERALL, STALL);
            flink.startTaskManager("tm-1");
            flink.startTaskManager("tm-2");
            clock.log("starting: Kafka, JobManager and 2 TaskManager containers of the deploy image");
            new ExactlyOnceRescaleScenario(kafka, flink, job, work, clock).run();
        }
    }
}
