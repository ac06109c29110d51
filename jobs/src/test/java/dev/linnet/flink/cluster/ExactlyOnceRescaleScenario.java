package dev.linnet.flink.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the cluster tests check, on any {@link FlinkCluster} with two TaskManagers ({@code tm-1}, {@code tm-2}) and
 * any {@link KafkaBroker}:
 *
 * <ol>
 *   <li>Reference: the job over all input, undisturbed, at parallelism 2.</li>
 *   <li>The same input into fresh topics, submitted at parallelism 2 through the REST API; three times, in each
 *       third of this part's input, while input is still being produced, a TaskManager running the job is killed
 *       with SIGKILL; the job restarts from its last checkpoint on the surviving TaskManager, every input so far is
 *       answered, and a replacement TaskManager (tm-3, tm-4, tm-5) joins before the next kill. (A TaskManager that
 *       exits by itself is replaced as an orchestrator would, see {@link TaskManagerSupervisor}.)</li>
 *   <li>Stop with a savepoint, restore at parallelism 3, more input; stop with a savepoint, restore at
 *       parallelism 1, the rest of the input.</li>
 *   <li>A fresh read_committed consumer finds every input answered exactly once, and every answer equal,
 *       character for character, to the reference run's; the reference answers are what the job computes from
 *       its input ({@link ClusterJob#checkReference}).</li>
 * </ol>
 *
 * <p>Waits for answers are judged by progress ({@link ProgressWait}); other waits (a job state, a savepoint) have
 * fixed limits within the run's overall one.
 */
final class ExactlyOnceRescaleScenario {

    static final int PARTITIONS = 4;
    /** Input before and around the kills, then after the restore at parallelism 3, then at 1. */
    static final int KILL_PHASE_END = 1200;

    /** TaskManagers killed in the first part of the disturbed run, one in each third of its input. */
    static final int KILLS = 3;

    static final int RESCALE_UP_END = 1800;
    static final int TOTAL = 2400;

    /** Longest a single state change (a restart, a savepoint, TaskManagers registering) may take. */
    private static final Duration STEP = Duration.ofMinutes(3);

    private final KafkaBroker kafka;
    private final FlinkCluster flink;
    private final ClusterJob job;
    private final Path workDir;
    private final ProgressWait clock;

    /**
     * @param workDir where the job jar may be built
     * @param clock   the run's overall limit and the longest a wait for answers may go without progress
     */
    ExactlyOnceRescaleScenario(
            KafkaBroker kafka, FlinkCluster flink, ClusterJob job, Path workDir, ProgressWait clock) {
        this.kafka = kafka;
        this.flink = flink;
        this.job = job;
        this.workDir = workDir;
        this.clock = clock;
    }

    /**
     * The cluster settings both kinds of cluster get on top of the image's deploy/flink/config.yaml: small enough
     * for one machine, and quick to fail over.
     */
    static Map<String, String> smallClusterSettings() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("jobmanager.memory.process.size", "900m");
        o.put("taskmanager.memory.process.size", "1280m");
        o.put("taskmanager.numberOfTaskSlots", "2");
        o.put("taskmanager.load-balance.mode", "SLOTS"); // spread subtasks, so the killed TaskManager runs some
        o.put("execution.checkpointing.interval", "1s");
        o.put("execution.checkpointing.min-pause", "200ms");
        o.put("restart-strategy.type", "fixed-delay");
        o.put("restart-strategy.fixed-delay.attempts", "100");
        o.put("restart-strategy.fixed-delay.delay", "1s");
        o.put("heartbeat.interval", "1000");
        o.put("heartbeat.timeout", "6000");
        return o;
    }

    void run() throws Exception {
        try (TaskManagerSupervisor supervisor = new TaskManagerSupervisor(flink, clock)) {
            runSupervised();
            if (!supervisor.replaced().isEmpty()) {
                clock.log("TaskManagers that exited by themselves during the run and were replaced: "
                        + supervisor.replaced());
            }
        }
    }

    private void runSupervised() throws Exception {
        flink.awaitTaskManagers(2, clock.atMost(STEP));
        FlinkRest rest = flink.rest();
        String jarId = rest.uploadJar(job.jar(workDir));
        kafka.createInputTopics(PARTITIONS, "reference-in", "in");
        kafka.createTopics(PARTITIONS, "reference-out", "out");
        for (String input : List.of("reference-in", "in")) {
            for (String extra : job.extraTopics(input)) {
                kafka.createTopics(1, extra);
            }
        }
        String savepoints = flink.savepointDirectory();
        clock.log("submitting " + job.entryClass() + "; Kafka at " + kafka.bootstrapServersForJobs() + " for the jobs");

        // 1. the reference: undisturbed, parallelism 2
        List<KafkaRecords.Produced> referenceInputs =
                KafkaRecords.produce(kafka.clientProperties(), "reference-in", job, 0, TOTAL, 0);
        Map<String, String> reference;
        try (KafkaRecords.CommittedReader referenceOut =
                new KafkaRecords.CommittedReader(kafka.clientProperties(), "reference-out", job)) {
            String ref = rest.runJar(
                    jarId,
                    job.entryClass(),
                    job.arguments(
                            kafka.bootstrapServersForJobs(), "reference-in", "reference-out", "linnet-it-reference"),
                    2,
                    null);
            clock.awaitCount("reference run, inputs answered", TOTAL, referenceOut::distinctAnswered, health(ref));
            reference = exactlyOnce(referenceOut.all(), referenceInputs, "reference run");
            rest.cancel(ref);
            FlinkRest.await(
                    "reference job canceled",
                    clock.atMost(STEP),
                    () -> rest.job(ref),
                    j -> "CANCELED".equals(j.path("state").asText()));
        }
        job.checkReference(referenceInputs, reference);
        clock.log("reference run: " + reference.size() + " answers, checked against the inputs");

        // 2. the disturbed run: KILLS SIGKILLs of a TaskManager running the job, at spread input positions
        List<KafkaRecords.Produced> inputs = new ArrayList<>();
        List<String> args = job.arguments(kafka.bootstrapServersForJobs(), "in", "out", "linnet-it");
        try (KafkaRecords.CommittedReader out =
                new KafkaRecords.CommittedReader(kafka.clientProperties(), "out", job)) {
            String job1 = rest.runJar(jarId, job.entryClass(), args, 2, null);
            awaitAllSubtasksRunning(job1, 2);
            int segment = KILL_PHASE_END / KILLS;
            for (int k = 0; k < KILLS; k++) {
                int from = k * segment,
                        middle = from + segment / 2,
                        to = k == KILLS - 1 ? KILL_PHASE_END : from + segment;
                inputs.addAll(KafkaRecords.produce(kafka.clientProperties(), "in", job, from, middle, 0));
                // a checkpoint of this attempt of the job: the kill then rewinds to it, not to the job's start
                long checkpointsBefore = rest.completedCheckpoints(job1);
                FlinkRest.await(
                        "a completed checkpoint before kill " + (k + 1),
                        clock.atMost(STEP),
                        () -> rest.get("/jobs/" + job1 + "/checkpoints"),
                        c -> c.path("counts").path("completed").asLong() > checkpointsBefore);
                clock.awaitCount("answers before kill " + (k + 1), from + 50, out::distinctAnswered, health(job1));

                CompletableFuture<List<KafkaRecords.Produced>> stillProducing = CompletableFuture.supplyAsync(
                        () -> KafkaRecords.produce(kafka.clientProperties(), "in", job, middle, to, 5));
                FlinkRest.sleep(1000);
                long restartedBefore =
                        rest.job(job1).path("timestamps").path("RESTARTING").asLong();
                int answeredBeforeKill = out.distinctAnswered();
                String killed = flink.killTaskManager(taskManagerRunning(job1));
                clock.log("kill " + (k + 1) + " of " + KILLS + ": SIGKILL to " + killed + " with " + answeredBeforeKill
                        + " of " + KILL_PHASE_END + " inputs answered and input " + middle + "-" + to
                        + " still being produced");
                assertTrue(answeredBeforeKill < to, "the kill should come mid-stream");
                inputs.addAll(stillProducing.get(5, TimeUnit.MINUTES));
                FlinkRest.await(
                        "job restarted after kill " + (k + 1),
                        clock.atMost(STEP),
                        () -> rest.job(job1),
                        j -> j.path("timestamps").path("RESTARTING").asLong() > restartedBefore);
                clock.awaitCount(
                        "recovery after kill " + (k + 1) + ", inputs answered",
                        to,
                        out::distinctAnswered,
                        health(job1));
                // every input answered; the job may still be settling (a TaskManager lost to the kill's aftermath,
                // see TaskManagerSupervisor, restarts it once more): the next steps need all its subtasks running
                awaitAllSubtasksRunning(job1, 2);
                assertEquals("RUNNING", rest.jobState(job1), "the job recovered");
                String replacement = "tm-" + (3 + k);
                clock.log("recovered: all " + to + " inputs answered; replacement TaskManager " + replacement
                        + " starting");
                flink.startTaskManager(replacement);
                // the killed one dropped after the heartbeat timeout, the replacement registered
                flink.awaitTaskManagers(2, clock.atMost(STEP));
            }

            // 3. rescale up, then down, through savepoints
            awaitAllSubtasksRunning(job1, 2); // a savepoint is refused while a task is not running
            String savepoint1 = rest.stopWithSavepoint(job1, savepoints, clock.atMost(STEP));
            clock.log("stopped with savepoint " + savepoint1 + "; restoring at parallelism 3");
            String job2 = rest.runJar(jarId, job.entryClass(), args, 3, savepoint1);
            awaitAllSubtasksRunning(job2, 3);
            inputs.addAll(KafkaRecords.produce(kafka.clientProperties(), "in", job, KILL_PHASE_END, RESCALE_UP_END, 0));
            clock.awaitCount("parallelism 3, inputs answered", RESCALE_UP_END, out::distinctAnswered, health(job2));

            awaitAllSubtasksRunning(job2, 3);
            String savepoint2 = rest.stopWithSavepoint(job2, savepoints, clock.atMost(STEP));
            clock.log("stopped with savepoint " + savepoint2 + "; restoring at parallelism 1");
            String job3 = rest.runJar(jarId, job.entryClass(), args, 1, savepoint2);
            awaitAllSubtasksRunning(job3, 1);
            inputs.addAll(KafkaRecords.produce(kafka.clientProperties(), "in", job, RESCALE_UP_END, TOTAL, 0));
            clock.awaitCount("parallelism 1, inputs answered", TOTAL, out::distinctAnswered, health(job3));
            awaitAllSubtasksRunning(job3, 1);
            rest.stopWithSavepoint(job3, savepoints, clock.atMost(STEP));
        }

        // 4. the verdict, from a consumer that starts now
        Map<String, String> disturbed;
        try (KafkaRecords.CommittedReader check =
                new KafkaRecords.CommittedReader(kafka.clientProperties(), "out", job)) {
            clock.awaitCount("verdict reader, inputs answered", TOTAL, check::distinctAnswered, () -> {});
            FlinkRest.sleep(3000); // a duplicate would arrive by now
            disturbed = exactlyOnce(check.all(), inputs, "run with " + KILLS + " SIGKILLs and two rescales");
        }
        assertEquals(
                positions(referenceInputs), positions(inputs), "both runs' inputs sit at the same partition/offset");
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, String> e : reference.entrySet()) {
            String other = disturbed.get(e.getKey());
            if (other == null || !job.comparable(e.getValue()).equals(job.comparable(other))) {
                differing.add(e.getKey() + ": reference '" + e.getValue() + "', disturbed '" + other + "'");
            }
        }
        assertEquals(
                List.of(),
                differing.subList(0, Math.min(10, differing.size())),
                differing.size() + " answers differ from the reference run");
        clock.log("verified (" + job.entryClass() + "): " + TOTAL
                + " inputs answered exactly once, equal to the reference run");
    }

    /** Every input answered exactly once, nothing else; returns position -> answer. */
    private Map<String, String> exactlyOnce(
            List<KafkaRecords.Output> outputs, List<KafkaRecords.Produced> inputs, String run) {
        Map<String, Integer> copies = new HashMap<>();
        Map<String, String> answers = new TreeMap<>();
        for (KafkaRecords.Output o : outputs) {
            String position = job.answeredInput(o.key(), o.value());
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
        assertEquals(
                List.of(),
                wrong.subList(0, Math.min(10, wrong.size())),
                run + ": " + wrong.size() + " inputs not answered exactly once");
        assertEquals(inputs.size(), outputs.size(), run + ": outputs read with read_committed");
        return answers;
    }

    private static List<String> positions(List<KafkaRecords.Produced> inputs) {
        return inputs.stream().map(KafkaRecords.Produced::position).toList();
    }

    private void awaitAllSubtasksRunning(String jobId, int parallelism) {
        FlinkRest.await(
                "all subtasks of " + jobId + " RUNNING at parallelism " + parallelism,
                clock.atMost(STEP),
                () -> flink.rest().job(jobId),
                j -> {
                    if (!"RUNNING".equals(j.path("state").asText())
                            || j.path("vertices").isEmpty()) {
                        return false;
                    }
                    for (JsonNode v : j.path("vertices")) {
                        if (v.path("parallelism").asInt() != parallelism
                                || v.path("tasks").path("RUNNING").asInt() != parallelism) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /**
     * A TaskManager that runs a subtask of the job now (after a restart all subtasks may sit on one of the two), so
     * that killing it fails the job over.
     */
    private String taskManagerRunning(String jobId) {
        FlinkRest rest = flink.rest();
        for (JsonNode v : rest.job(jobId).path("vertices")) {
            for (JsonNode t : rest.get(
                            "/jobs/" + jobId + "/vertices/" + v.path("id").asText())
                    .path("subtasks")) {
                if ("RUNNING".equals(t.path("status").asText())
                        && !t.path("taskmanager-id").asText().isEmpty()) {
                    return t.path("taskmanager-id").asText();
                }
            }
        }
        throw new IllegalStateException(
                "no RUNNING subtask of " + jobId + " names its TaskManager\n" + flink.diagnostics());
    }

    /** Fails fast, with the processes' logs, when the job has failed for good. */
    private Runnable health(String jobId) {
        return () -> {
            JsonNode j = flink.rest().tryGet("/jobs/" + jobId);
            if (j != null
                    && List.of("FAILED", "CANCELED").contains(j.path("state").asText())) {
                JsonNode exceptions = flink.rest().tryGet("/jobs/" + jobId + "/exceptions");
                throw new IllegalStateException(
                        "job " + jobId + " is " + j.path("state").asText() + ": "
                                + (exceptions == null
                                        ? ""
                                        : exceptions.path("rootException").asText()) + "\n" + flink.diagnostics());
            }
        };
    }
}
