package dev.linnet.flink.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linnet.flink.cluster.probe.ExactlyOnceProbeJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The job the cluster test runs: where its jar is, how it is called, what an input record is, and how an output
 * names the input it answers. The harness needs nothing else, so running another job (log-anomaly, once it
 * exists) is one more implementation and one changed line in {@link ExactlyOnceRescaleIT}.
 */
interface ClusterJob {

    /** The job jar to upload (built here if needed). */
    Path jar(Path workDir);

    String entryClass();

    List<String> arguments(String bootstrapServers, String inputTopic, String outputTopic, String transactionalIdPrefix);

    /** Topics the job writes besides its output (they must exist: the test's broker creates none by itself). */
    default List<String> extraTopics(String inputTopic) {
        return List.of();
    }

    /** Record key of input record i (records of one key keep their order: same key, same partition). */
    default String inputKey(int i) {
        return String.format("host-%02d", (i * 7 + i / 13) % 16);
    }

    /** Value of input record i: a log line, mostly routine, now and then an unusual one. */
    default String inputValue(int i) {
        if (i % 97 == 41) {
            return "ERROR java.lang.OutOfMemoryError: Direct buffer memory at io.netty.buffer.PoolArena.allocate worker-" + (i % 8);
        }
        return "INFO request id=" + i + " path=/api/v1/items/" + (i % 97) + " status=200 took=" + (i * 37 % 250) + "ms";
    }

    /** The input position "partition/offset" that an output record answers. */
    String answeredInput(String outputKey, String outputValue);

    /** The part of an output that must equal the reference run's (outputs may name their run's own topic). */
    default String comparable(String outputValue) {
        return outputValue;
    }

    /** The job that -Dlinnet.cluster-it.job names: probe or log-anomaly. */
    static ClusterJob named(String name) {
        return switch (name) {
            case "log-anomaly" -> logAnomaly();
            case "probe" -> exactlyOnceProbe();
            default -> throw new IllegalArgumentException("linnet.cluster-it.job must be log-anomaly or probe, not '" + name + "'");
        };
    }

    /**
     * The log-anomaly job from target/linnet-jobs.jar (built by the package phase before the cluster test runs),
     * with its bundled model (the image's linnet.model.path is dropped for this machine).
     */
    static ClusterJob logAnomaly() {
        ObjectMapper json = new ObjectMapper();
        return new ClusterJob() {
            @Override
            public Path jar(Path workDir) {
                Path jar = Path.of("target", "linnet-jobs.jar").toAbsolutePath();
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException(jar + " is missing: run the cluster test through `mvn -P cluster-it verify`, "
                            + "whose package phase builds it");
                }
                return jar;
            }

            @Override
            public String entryClass() {
                return "dev.linnet.flink.cli.LinnetJobs";
            }

            @Override
            public List<String> arguments(String bootstrapServers, String inputTopic, String outputTopic, String prefix) {
                return List.of("log-anomaly", "--bootstrap-servers", bootstrapServers, "--input-topic", inputTopic,
                        "--output-topic", outputTopic, "--dead-letter-topic", inputTopic + "-dead-letters",
                        "--group-id", prefix, "--transactional-id-prefix", prefix, "--starting-offsets", "earliest",
                        "--checkpoint-interval", "1s");
            }

            @Override
            public List<String> extraTopics(String inputTopic) {
                return List.of(inputTopic + "-dead-letters");
            }

            @Override
            public String answeredInput(String outputKey, String outputValue) {
                JsonNode r = parse(outputValue);
                return r.path("partition").asInt() + "/" + r.path("offset").asLong();
            }

            @Override
            public String comparable(String outputValue) {
                ObjectNode r = (ObjectNode) parse(outputValue);
                r.remove("topic");
                return r.toString();
            }

            private JsonNode parse(String value) {
                try {
                    JsonNode r = json.readTree(value);
                    if (!r.isObject() || !r.has("partition") || !r.has("offset")) {
                        throw new IllegalArgumentException("not a log-anomaly record: " + value);
                    }
                    return r;
                } catch (IOException e) {
                    throw new UncheckedIOException("not JSON: " + value, e);
                }
            }
        };
    }

    /** The stand-in job of the test sources: per-key sequence and history hash, exactly-once Kafka sink. */
    static ClusterJob exactlyOnceProbe() {
        return new ClusterJob() {
            @Override
            public Path jar(Path workDir) {
                return ProbeJobJar.build(workDir.resolve("probe-job.jar"));
            }

            @Override
            public String entryClass() {
                return ExactlyOnceProbeJob.class.getName();
            }

            @Override
            public List<String> arguments(String bootstrapServers, String inputTopic, String outputTopic, String prefix) {
                return List.of("--bootstrap-servers", bootstrapServers, "--input-topic", inputTopic,
                        "--output-topic", outputTopic, "--transactional-id-prefix", prefix);
            }

            @Override
            public String answeredInput(String outputKey, String outputValue) {
                int bar = outputValue.indexOf('|');
                if (bar < 0) {
                    throw new IllegalArgumentException("not a probe output: " + outputValue);
                }
                return outputValue.substring(0, bar);
            }
        };
    }
}
