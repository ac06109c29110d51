package dev.linnet.flink.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linnet.flink.cluster.probe.KeyedHistoryFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real thing on one machine (profile cluster-it: {@code mvn -P cluster-it verify}): a Kafka broker process,
 * a Flink JobManager and two TaskManagers as separate JVMs on a Flink distribution's classpath, configured by
 * deploy/flink/config.yaml (RocksDB, the Vector API module, Flink's Java 17 flags).
 *
 * <ol>
 *   <li>Reference: the job over all input, undisturbed, at parallelism 2.</li>
 *   <li>The same input into fresh topics, submitted at parallelism 2 through the REST API; mid-stream, while
 *       input is still being produced, one TaskManager is killed with SIGKILL; the job restarts from its last
 *       checkpoint on the surviving TaskManager; a replacement TaskManager joins.</li>
 *   <li>Stop with a savepoint, restore at parallelism 3, more input; stop with a savepoint, restore at
 *       parallelism 1, the rest of the input.</li>
 *   <li>A fresh read_committed consumer finds every input answered exactly once, and every answer equal,
 *       character for character, to the reference run's.</li>
 * </ol>
 */
class ExactlyOnceRescaleIT {

    /**
     * The job under test: the test's own probe job, or -Dlinnet.cluster-it.job=log-anomaly for linnet-jobs.jar's
     * log-anomaly. The default becomes log-anomaly once LinnetJobs.main stops calling System.exit inside a cluster
     * (it ends the JobManager's JVM when run through /jars/run or in application mode).
     */
    private static final ClusterJob JOB = ClusterJob.named(System.getProperty("linnet.cluster-it.job", "probe"));

    private static final int PARTITIONS = 4;
    /** Input before and around the kill, then after the restore at parallelism 3, then at 1. */
    private static final int KILL_PHASE_END = 1200;
    private static final int RESCALE_UP_END = 1800;
    private static final int TOTAL = 2400;
    private static final Duration STEP = Duration.ofMinutes(3);

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void survivesASigkilledTaskManagerAndRescalesExactlyOnce() throws Exception {
        long started = System.nanoTime();
        Path itDir = Path.of("target", "cluster-it").toAbsolutePath();
        Path work = itDir.resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(work);
        String flinkClasspath = ClusterClasspath.flink(itDir);
        String kafkaClasspath = ClusterClasspath.kafka(itDir);
        Path imageConfig = Path.of("..", "deploy", "flink", "config.yaml").toAbsolutePath().normalize();

        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start(work, kafkaClasspath);
                FlinkProcessCluster flink = FlinkProcessCluster.startJobManager(work, flinkClasspath, imageConfig, localOverrides(work))) {
            flink.startTaskManager("tm-1");
            flink.startTaskManager("tm-2");
            flink.awaitTaskManagers(2, STEP);
            log(started, "cluster up: Kafka, JobManager, 2 TaskManagers; work dir " + work);
            FlinkRest rest = flink.rest();
            String jarId = rest.uploadJar(JOB.jar(work));
            kafka.createTopics(PARTITIONS, "reference-in", "reference-out", "in", "out");
            for (String input : List.of("reference-in", "in")) {
                for (String extra : JOB.extraTopics(input)) {
                    kafka.createTopics(1, extra);
                }
            }
            Runnable noop = () -> {};

            // 1. the reference: undisturbed, parallelism 2
            List<KafkaRecords.Produced> referenceInputs = KafkaRecords.produce(kafka.clientProperties(), "reference-in", JOB, 0, TOTAL, 0);
            Map<String, String> reference;
            try (KafkaRecords.CommittedReader referenceOut = new KafkaRecords.CommittedReader(kafka.clientProperties(), "reference-out", JOB)) {
                String job = rest.runJar(jarId, JOB.entryClass(), JOB.arguments(kafka.bootstrapServers(), "reference-in", "reference-out", "linnet-it-reference"), 2, null);
                referenceOut.awaitDistinct(TOTAL, STEP, health(flink, job));
                reference = exactlyOnce(referenceOut.all(), referenceInputs, "reference run");
                rest.cancel(job);
                FlinkRest.await("reference job canceled", STEP, () -> rest.job(job), j -> "CANCELED".equals(j.path("state").asText()));
            }
            log(started, "reference run: " + reference.size() + " answers");

            // 2. the disturbed run
            List<KafkaRecords.Produced> inputs = new ArrayList<>();
            String prefix = "linnet-it";
            List<String> args = JOB.arguments(kafka.bootstrapServers(), "in", "out", prefix);
            try (KafkaRecords.CommittedReader out = new KafkaRecords.CommittedReader(kafka.clientProperties(), "out", JOB)) {
                String job1 = rest.runJar(jarId, JOB.entryClass(), args, 2, null);
                awaitAllSubtasksRunning(flink, job1, 2);
                inputs.addAll(KafkaRecords.produce(kafka.clientProperties(), "in", JOB, 0, KILL_PHASE_END / 2, 0));
                FlinkRest.await("a completed checkpoint", STEP, () -> rest.get("/jobs/" + job1 + "/checkpoints"),
                        c -> c.path("counts").path("completed").asLong() >= 1);
                out.awaitDistinct(50, STEP, health(flink, job1));

                CompletableFuture<List<KafkaRecords.Produced>> stillProducing = CompletableFuture.supplyAsync(
                        () -> KafkaRecords.produce(kafka.clientProperties(), "in", JOB, KILL_PHASE_END / 2, KILL_PHASE_END, 5));
                FlinkRest.sleep(1000);
                int answeredBeforeKill = out.distinctAnswered();
                long pid = flink.killTaskManager("tm-1");
                log(started, "SIGKILL to tm-1 (pid " + pid + ") with " + answeredBeforeKill + " of " + KILL_PHASE_END
                        + " inputs answered and input still being produced");
                assertTrue(answeredBeforeKill < KILL_PHASE_END, "the kill should come mid-stream");
                inputs.addAll(stillProducing.get(5, TimeUnit.MINUTES));
                FlinkRest.await("job restarted after the kill", STEP, () -> rest.job(job1),
                        j -> j.path("timestamps").path("RESTARTING").asLong() > 0);
                out.awaitDistinct(KILL_PHASE_END, STEP, health(flink, job1));
                JsonNode afterKill = rest.job(job1);
                assertEquals("RUNNING", afterKill.path("state").asText(), "the job recovered on the surviving TaskManager");
                log(started, "recovered: all " + KILL_PHASE_END + " inputs answered; replacement TaskManager tm-3 starting");
                flink.startTaskManager("tm-3");
                flink.awaitTaskManagers(2, STEP); // tm-1 dropped after the heartbeat timeout, tm-3 registered

                // 3. rescale up, then down, through savepoints
                String savepoint1 = rest.stopWithSavepoint(job1, work.resolve("savepoints"), STEP);
                log(started, "stopped with savepoint " + savepoint1 + "; restoring at parallelism 3");
                String job2 = rest.runJar(jarId, JOB.entryClass(), args, 3, savepoint1);
                awaitAllSubtasksRunning(flink, job2, 3);
                inputs.addAll(KafkaRecords.produce(kafka.clientProperties(), "in", JOB, KILL_PHASE_END, RESCALE_UP_END, 0));
                out.awaitDistinct(RESCALE_UP_END, STEP, health(flink, job2));

                String savepoint2 = rest.stopWithSavepoint(job2, work.resolve("savepoints"), STEP);
                log(started, "stopped with savepoint " + savepoint2 + "; restoring at parallelism 1");
                String job3 = rest.runJar(jarId, JOB.entryClass(), args, 1, savepoint2);
                awaitAllSubtasksRunning(flink, job3, 1);
                inputs.addAll(KafkaRecords.produce(kafka.clientProperties(), "in", JOB, RESCALE_UP_END, TOTAL, 0));
                out.awaitDistinct(TOTAL, STEP, health(flink, job3));
                rest.stopWithSavepoint(job3, work.resolve("savepoints"), STEP);
            }

            // 4. the verdict, from a consumer that starts now
            Map<String, String> disturbed;
            try (KafkaRecords.CommittedReader check = new KafkaRecords.CommittedReader(kafka.clientProperties(), "out", JOB)) {
                check.awaitDistinct(TOTAL, STEP, noop);
                FlinkRest.sleep(3000); // a duplicate would arrive by now
                disturbed = exactlyOnce(check.all(), inputs, "run with a SIGKILL and two rescales");
            }
            assertEquals(positions(referenceInputs), positions(inputs), "both runs' inputs sit at the same partition/offset");
            List<String> differing = new ArrayList<>();
            for (Map.Entry<String, String> e : reference.entrySet()) {
                String other = disturbed.get(e.getKey());
                if (other == null || !JOB.comparable(e.getValue()).equals(JOB.comparable(other))) {
                    differing.add(e.getKey() + ": reference '" + e.getValue() + "', disturbed '" + disturbed.get(e.getKey()) + "'");
                }
            }
            assertEquals(List.of(), differing.subList(0, Math.min(10, differing.size())), differing.size() + " answers differ from the reference run");
            if (JOB.entryClass().endsWith("ExactlyOnceProbeJob")) {
                assertEquals(probeExpectation(referenceInputs), reference, "the reference run's answers are the probe's per-key history");
            }
            log(started, "verified (" + JOB.entryClass() + "): " + TOTAL + " inputs answered exactly once, equal to the reference run");
        }
    }

    /** Every input answered exactly once, nothing else; returns position -> answer. */
    private static Map<String, String> exactlyOnce(List<KafkaRecords.Output> outputs, List<KafkaRecords.Produced> inputs, String run) {
        Map<String, Integer> copies = new HashMap<>();
        Map<String, String> answers = new TreeMap<>();
        for (KafkaRecords.Output o : outputs) {
            String position = JOB.answeredInput(o.key(), o.value());
            copies.merge(position, 1, Integer::sum);
            answers.put(position, o.value());
        }
        List<String> wrong = new ArrayList<>();
        for (KafkaRecords.Produced in : inputs) {
            int n = copies.getOrDefault(in.position(), 0);
            if (n != 1) {
                wrong.add(in.position() + " (input " + in.index() + ") answered " + n + " times");
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(10, wrong.size())), run + ": " + wrong.size() + " inputs not answered exactly once");
        assertEquals(inputs.size(), outputs.size(), run + ": outputs read with read_committed");
        return answers;
    }

    /** The probe's answers computed here: per key, in input order, its sequence number and history hash. */
    private static Map<String, String> probeExpectation(List<KafkaRecords.Produced> inputs) {
        Map<String, List<String>> history = new HashMap<>();
        Map<String, String> expected = new TreeMap<>();
        for (KafkaRecords.Produced in : inputs) {
            List<String> lines = history.computeIfAbsent(in.key(), k -> new ArrayList<>());
            lines.add(in.value());
            expected.put(in.position(), in.position() + "|" + in.key() + "|" + (lines.size() - 1) + "|"
                    + Long.toHexString(KeyedHistoryFunction.historyHash(lines)) + "|" + in.value());
        }
        return expected;
    }

    private static List<String> positions(List<KafkaRecords.Produced> inputs) {
        return inputs.stream().map(KafkaRecords.Produced::position).toList();
    }

    private static void awaitAllSubtasksRunning(FlinkProcessCluster flink, String jobId, int parallelism) {
        FlinkRest.await("all subtasks of " + jobId + " RUNNING at parallelism " + parallelism, STEP, () -> flink.rest().job(jobId), j -> {
            if (!"RUNNING".equals(j.path("state").asText()) || j.path("vertices").isEmpty()) {
                return false;
            }
            for (JsonNode v : j.path("vertices")) {
                if (v.path("parallelism").asInt() != parallelism || v.path("tasks").path("RUNNING").asInt() != parallelism) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Fails fast, with the processes' logs, when the job has failed for good. */
    private static Runnable health(FlinkProcessCluster flink, String jobId) {
        return () -> {
            JsonNode j = flink.rest().tryGet("/jobs/" + jobId);
            if (j != null && List.of("FAILED", "CANCELED").contains(j.path("state").asText())) {
                JsonNode exceptions = flink.rest().tryGet("/jobs/" + jobId + "/exceptions");
                throw new IllegalStateException("job " + jobId + " is " + j.path("state").asText() + ": "
                        + (exceptions == null ? "" : exceptions.path("rootException").asText()) + "\n" + flink.diagnostics());
            }
        };
    }

    /** The image's configuration stays; these make it fit one small machine and fail over quickly. */
    private static Map<String, String> localOverrides(Path work) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("jobmanager.memory.process.size", "900m");
        o.put("taskmanager.memory.process.size", "1280m");
        o.put("taskmanager.numberOfTaskSlots", "2");
        o.put("taskmanager.load-balance.mode", "SLOTS"); // spread subtasks, so the killed TaskManager runs some
        o.put("execution.checkpointing.interval", "1s");
        o.put("execution.checkpointing.min-pause", "200ms");
        o.put("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
        o.put("execution.checkpointing.savepoint-dir", work.resolve("savepoints").toUri().toString());
        o.put("restart-strategy.type", "fixed-delay");
        o.put("restart-strategy.fixed-delay.attempts", "100");
        o.put("restart-strategy.fixed-delay.delay", "1s");
        o.put("heartbeat.interval", "1000");
        o.put("heartbeat.timeout", "6000");
        // the image's /opt/flink/models/... is not on this machine: the jobs fall back to their bundled model
        o.put("linnet.model.path", null);
        return o;
    }

    private static void log(long started, String message) {
        System.out.printf("[cluster-it %5.1f s] %s%n", (System.nanoTime() - started) / 1e9, message);
    }
}
