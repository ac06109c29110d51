package dev.linnet.flink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.flink.jobs.StandInModel;
import dev.linnet.flink.kafka.EmbeddedKafkaExtension;
import dev.linnet.flink.kafka.KafkaTestClients;
import dev.linnet.flink.operator.LinnetMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.jobgraph.tasks.CheckpointCoordinatorConfiguration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.util.MiniClusterPipelineExecutorServiceLoader;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each job submitted as {@code flink run -d} submits it: its main method run in a context environment that holds
 * the job's configuration (here what a cluster's config.yaml or -D would set: linnet.* options and
 * execution.checkpointing.interval), against a Flink MiniCluster and the in-JVM KRaft broker. The settings must
 * take effect in the running job: its checkpoint interval (the configuration's, or a flag's when given), its
 * state bytes (BFLOAT16: what the scorer writes back has the bfloat16 encoded size), and its state TTL (a key idle
 * past it starts afresh, history included, while a key written within it goes on).
 */
class ConfiguredSubmissionTest {

    private static final Duration TTL = Duration.ofSeconds(4);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    static Path dir;

    private static MiniCluster cluster;
    private static Path model;
    private static int bfloat16StateBytes;

    @BeforeAll
    static void start() throws Exception {
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
        cluster.start();
        model = StandInModel.write(dir.resolve("model"));
        Model m = Model.load(model);
        // the stand-in's window is 64 tokens: every stream here fills it, so its state reaches the full size
        bfloat16StateBytes =
                new StateCodec(m.fingerprint(), m.newState(), StatePrecision.BFLOAT16).encodedSize(Long.MAX_VALUE);
        int float32 = new StateCodec(m.fingerprint(), m.newState(), StatePrecision.FLOAT32).encodedSize(Long.MAX_VALUE);
        assertTrue(bfloat16StateBytes < float32, bfloat16StateBytes + " < " + float32);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The job's configuration as `flink run` hands it to the program: the cluster's, with -D on top. */
    private static Configuration jobConfiguration(String name) {
        Configuration conf = new Configuration();
        conf.setString("linnet.model.path", model.toString());
        conf.setString("linnet.state.precision", "BFLOAT16");
        conf.setString("linnet.state.ttl", TTL.toMillis() + "ms");
        conf.setString("linnet.output.top-k", "2");
        conf.setString("execution.checkpointing.interval", "300ms");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints-" + name).toUri().toString());
        MiniClusterPipelineExecutorServiceLoader.updateConfigurationForMiniCluster(conf, List.of(), List.of());
        // -d: the program returns once the job is submitted (set after the call above, which makes it attached)
        conf.set(DeploymentOptions.ATTACHED, false);
        return conf;
    }

    /** Runs the jar's main method as `flink run -d` would, with {@code conf} as the job's configuration. */
    private static JobID submit(Configuration conf, String jobName, String... args) throws Exception {
        StreamContextEnvironment.setAsContext(
                new MiniClusterPipelineExecutorServiceLoader(cluster),
                conf,
                ConfiguredSubmissionTest.class.getClassLoader(),
                false,
                false);
        try {
            LinnetJobs.runInsideFlink(args);
        } finally {
            StreamContextEnvironment.unsetAsContext();
        }
        for (JobStatusMessage job : cluster.listJobs().get()) {
            if (job.getJobName().equals(jobName) && !job.getJobState().isTerminalState()) {
                return job.getJobId();
            }
        }
        throw new AssertionError("no running job named " + jobName);
    }

    private static CheckpointCoordinatorConfiguration checkpointing(JobID job) throws Exception {
        return cluster.getExecutionGraph(job).get().getCheckpointCoordinatorConfiguration();
    }

    /** Every state size the scorer wrote back, as its stateBytes histograms keep them. */
    private static List<Long> stateBytes(JobID job) {
        List<Long> sizes = new ArrayList<>();
        for (Map.Entry<String, Metric> e :
                METRICS.findMetrics(job, LinnetMetrics.STATE_BYTES).entrySet()) {
            if (!e.getKey().endsWith("." + LinnetMetrics.STATE_BYTES)) {
                continue; // the name also matches stateBytesWritten, a counter
            }
            for (long v : ((Histogram) e.getValue()).getStatistics().getValues()) {
                sizes.add(v);
            }
        }
        return sizes;
    }

    private static ProducerRecord<byte[], byte[]> line(String topic, String key, String text) {
        return new ProducerRecord<>(topic, null, System.currentTimeMillis(), bytes(key), bytes(text));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends {@code before} lines of keys a and b, waits for their {@code firstOutputs} outputs (the TTL runs on
     * processing time: from when the job wrote the states), then sends only b's lines (one a second) for longer than
     * the TTL, then {@code after} lines of a and one of b. Returns how many lines b sent during the pause.
     */
    private static int feedAroundAPause(
            String bootstrap, String input, String output, int before, int firstOutputs, int after) throws Exception {
        List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
        for (int i = 0; i < before; i++) {
            first.add(line(input, "a", "a request " + i + " served in " + (i * 7 % 50) + " ms"));
            first.add(line(input, "b", "b request " + i + " served in " + (i * 3 % 40) + " ms"));
        }
        KafkaTestClients.produce(bootstrap, input, first);
        KafkaTestClients.readCommitted(bootstrap, output, firstOutputs, Duration.ofSeconds(90));
        long pauseEnd = System.nanoTime() + TTL.multipliedBy(7).dividedBy(4).toNanos();
        int paused = 0;
        for (; System.nanoTime() < pauseEnd; paused++) {
            KafkaTestClients.produce(bootstrap, input, List.of(line(input, "b", "b keeps logging " + paused)));
            Thread.sleep(1000);
        }
        List<ProducerRecord<byte[], byte[]>> last = new ArrayList<>();
        for (int i = 0; i < after; i++) {
            last.add(line(input, "a", "a is back with request " + i));
        }
        last.add(line(input, "b", "b request after the pause"));
        KafkaTestClients.produce(bootstrap, input, last);
        return paused;
    }

    private static List<JsonNode> ofKey(List<String> values, String key) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String v : values) {
            JsonNode n = JSON.readTree(v);
            if (key.equals(n.path("key").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void logAnomalyTakesPrecisionTtlTopKAndCheckpointIntervalFromItsConfiguration() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers();
        KafkaTestClients.createInputTopic(bootstrap, 1, "conf-la-in");
        KafkaTestClients.createTopics(bootstrap, 1, "conf-la-out", "conf-la-dlq");
        JobID job = submit(
                jobConfiguration("la"),
                LogAnomalyCommand.NAME,
                "log-anomaly",
                "--bootstrap-servers",
                bootstrap,
                "--input-topic",
                "conf-la-in",
                "--output-topic",
                "conf-la-out",
                "--dead-letter-topic",
                "conf-la-dlq",
                "--starting-offsets",
                "earliest",
                "--transactional-id-prefix",
                "conf-la",
                "--parallelism",
                "1");
        try {
            CheckpointCoordinatorConfiguration cc = checkpointing(job);
            assertEquals(300, cc.getCheckpointInterval(), "the configuration's execution.checkpointing.interval");
            assertTrue(cc.isExactlyOnce(), "EXACTLY_ONCE, the configuration's (default) mode");
            assertTrue(cc.isUnalignedCheckpointsEnabled(), "unaligned unless the configuration says otherwise");

            int before = 8;
            int after = 3;
            int paused = feedAroundAPause(bootstrap, "conf-la-in", "conf-la-out", before, 2 * before, after);
            List<String> out = KafkaTestClients.readCommitted(
                    bootstrap, "conf-la-out", 2 * before + paused + after + 1, Duration.ofSeconds(90));

            List<JsonNode> a = ofKey(out, "a");
            a.sort(Comparator.comparingLong(n -> n.path("offset").asLong()));
            assertEquals(before + after, a.size());
            JsonNode lastBefore = a.get(before - 1);
            JsonNode firstAfter = a.get(before);
            assertEquals(before - 1, lastBefore.path("history").asLong());
            assertTrue(lastBefore.path("tokensSeen").asLong()
                    > lastBefore.path("tokens").asLong());
            assertEquals(
                    firstAfter.path("tokens").asLong(),
                    firstAfter.path("tokensSeen").asLong(),
                    "a key idle past linnet.state.ttl starts a new stream: " + firstAfter);
            assertEquals(0, firstAfter.path("history").asLong(), "and its history is forgotten with it");

            List<JsonNode> b = ofKey(out, "b");
            b.sort(Comparator.comparingLong(n -> n.path("offset").asLong()));
            JsonNode lastB = b.get(b.size() - 1);
            assertEquals(b.size() - 1, lastB.path("history").asLong(), "a key written within the TTL goes on");
            long bTokens = 0;
            for (JsonNode n : b) {
                bTokens += n.path("tokens").asLong();
            }
            assertEquals(bTokens, lastB.path("tokensSeen").asLong());

            for (JsonNode n : a) {
                assertTrue(n.path("surprisingTokens").size() <= 2, "linnet.output.top-k: " + n);
            }
            assertEquals(2, a.get(1).path("surprisingTokens").size(), "linnet.output.top-k");

            List<Long> sizes = stateBytes(job);
            assertTrue(!sizes.isEmpty(), "no stateBytes recorded");
            assertEquals(
                    bfloat16StateBytes,
                    sizes.stream().mapToLong(Long::longValue).max().orElseThrow());
        } finally {
            cluster.cancelJob(job).get();
        }
    }

    @Test
    void topicDigestTakesItsConfigurationAndAGivenFlagOverridesIt() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers();
        KafkaTestClients.createInputTopic(bootstrap, 1, "conf-td-in");
        KafkaTestClients.createTopics(bootstrap, 1, "conf-td-out", "conf-td-dlq");
        JobID job = submit(
                jobConfiguration("td"),
                TopicDigestCommand.NAME,
                "topic-digest",
                "--bootstrap-servers",
                bootstrap,
                "--input-topic",
                "conf-td-in",
                "--output-topic",
                "conf-td-out",
                "--dead-letter-topic",
                "conf-td-dlq",
                "--starting-offsets",
                "earliest",
                "--transactional-id-prefix",
                "conf-td",
                "--parallelism",
                "1",
                "--every-records",
                "2",
                "--every-time",
                "0",
                "--summary-tokens",
                "2",
                "--checkpoint-interval",
                "400ms");
        try {
            assertEquals(400, checkpointing(job).getCheckpointInterval(), "--checkpoint-interval given: the flag's");

            int before = 4;
            int after = 2;
            int paused = feedAroundAPause(bootstrap, "conf-td-in", "conf-td-out", before, 4, after);
            // a: 2 digests before the pause, 1 after; b closes one every 2 of its lines
            int digests = before / 2 + after / 2 + (before + paused + 1) / 2;
            List<String> out =
                    KafkaTestClients.readCommitted(bootstrap, "conf-td-out", digests, Duration.ofSeconds(90));
            List<JsonNode> a = ofKey(out, "a");
            a.sort(Comparator.comparingLong(n -> n.path("sequence").asLong()));
            assertEquals(3, a.size(), a.toString());
            assertTrue(a.get(1).path("streamTokens").asLong()
                    > a.get(1).path("tokens").asLong());
            JsonNode back = a.get(2);
            assertEquals(
                    back.path("tokens").asLong(),
                    back.path("streamTokens").asLong(),
                    "a key idle past linnet.state.ttl starts a new stream: " + back);
            assertNotNull(back.get("summary"), "the summary's copy of the state starts afresh with it: " + back);
            assertTrue(back.path("summary").isTextual(), back.toString());

            List<Long> sizes = stateBytes(job);
            assertTrue(!sizes.isEmpty(), "no stateBytes recorded");
            assertEquals(
                    bfloat16StateBytes,
                    sizes.stream().mapToLong(Long::longValue).max().orElseThrow());
        } finally {
            cluster.cancelJob(job).get();
        }
        assertTrue(cluster.getJobStatus(job).get() != JobStatus.RUNNING);
    }
}
