package dev.linnet.flink.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real thing on one machine (profile cluster-it: {@code mvn -P cluster-it verify}): a Kafka broker process,
 * a Flink JobManager and two TaskManagers as separate JVMs on a Flink distribution's classpath, configured by
 * deploy/flink/config.yaml (RocksDB, the Vector API module, Flink's Java 17 flags), running
 * {@link ExactlyOnceRescaleScenario}: three TaskManagers SIGKILLed mid-stream, one after another, restores at parallelism 3 and 1, every
 * input answered exactly once and equal to an undisturbed run.
 *
 * <p>The job is linnet-jobs.jar's log-anomaly with the bundled default model; {@code -Dlinnet.cluster-it.job=probe}
 * runs the test's own exactly-once probe job instead (a quick check of the harness).
 */
class ExactlyOnceRescaleIT {

    /** The whole run from cluster start; a wait for answers also fails when they stop coming for STALL. */
    private static final Duration OVERALL = Duration.ofMinutes(20);

    private static final Duration STALL = Duration.ofMinutes(2);

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void survivesSigkilledTaskManagersAndRescalesExactlyOnce() throws Exception {
        ClusterJob job = ClusterJob.selected();
        Path itDir = Path.of("target", "cluster-it").toAbsolutePath();
        Path work = itDir.resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(work);
        String flinkClasspath = ClusterClasspath.flink(itDir);
        String kafkaClasspath = ClusterClasspath.kafka(itDir);
        Path imageConfig =
                Path.of("..", "deploy", "flink", "config.yaml").toAbsolutePath().normalize();

        ProgressWait clock = new ProgressWait(OVERALL, STALL);
        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start(work, kafkaClasspath);
                FlinkProcessCluster flink =
                        FlinkProcessCluster.startJobManager(work, flinkClasspath, imageConfig, localSettings(work))) {
            flink.startTaskManager("tm-1");
            flink.startTaskManager("tm-2");
            clock.log("starting: Kafka, JobManager, 2 TaskManagers; work dir " + work);
            new ExactlyOnceRescaleScenario(kafka, flink, job, work, clock).run();
        }
    }

    /** The image's configuration stays; these make it fit one small machine, fail over quickly, write here. */
    private static Map<String, String> localSettings(Path work) {
        Map<String, String> o = ExactlyOnceRescaleScenario.smallClusterSettings();
        o.put("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
        o.put(
                "execution.checkpointing.savepoint-dir",
                work.resolve("savepoints").toUri().toString());
        // the image's /opt/flink/models/... is not on this machine: the jobs fall back to their bundled model
        o.put("linnet.model.path", null);
        return o;
    }
}
