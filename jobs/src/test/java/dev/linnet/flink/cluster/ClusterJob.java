package dev.linnet.flink.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linnet.flink.cluster.probe.ExactlyOnceProbeJob;
import dev.linnet.flink.cluster.probe.KeyedHistoryFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job the cluster test runs: where its jar is, how it is called, what an input record is, how an output
 * names the input it answers, and what the undisturbed run's answers must say. The harness needs nothing else.
 */
interface ClusterJob {

    /** -Dlinnet.cluster-it.job: log-anomaly (the default) or probe. */
    String PROPERTY = "linnet.cluster-it.job";

    /** The job -Dlinnet.cluster-it.job names, log-anomaly when unset. */
    static ClusterJob selected() {
        return named(System.getProperty(PROPERTY, "log-anomaly"));
    }

    /** The job jar to upload (built here if needed). */
    Path jar(Path workDir);

    String entryClass();

    List<String> arguments(
            String bootstrapServers, String inputTopic, String outputTopic, String transactionalIdPrefix);

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
            return "ERROR java.lang.OutOfMemoryError: Direct buffer memory at io.netty.buffer.PoolArena.allocate worker-"
                    + (i % 8);
        }
        return "INFO request id=" + i + " path=/api/v1/items/" + (i % 97) + " status=200 took=" + (i * 37 % 250) + "ms";
    }

    /** Key bytes of input record i: those of {@link #inputKey}. */
    default byte[] inputKeyBytes(int i) {
        return inputKey(i).getBytes(StandardCharsets.UTF_8);
    }

    /** Value bytes of input record i: those of {@link #inputValue}. */
    default byte[] inputValueBytes(int i) {
        return inputValue(i).getBytes(StandardCharsets.UTF_8);
    }

    /** The input position "partition/offset" that an output record answers. */
    String answeredInput(String outputKey, String outputValue);

    /** The part of an output that must equal the reference run's (outputs may name their run's own topic). */
    default String comparable(String outputValue) {
        return outputValue;
    }

    /**
     * Checks the undisturbed run's answers (position -> output value) against what the job must have computed from
     * its inputs, so that two runs cannot agree on wrong answers.
     */
    void checkReference(List<KafkaRecords.Produced> inputs, Map<String, String> answers);

    /** The job that -Dlinnet.cluster-it.job names: probe or log-anomaly. */
    static ClusterJob named(String name) {
        return switch (name) {
            case "log-anomaly" -> logAnomaly();
            case "probe" -> exactlyOnceProbe();
            default ->
                throw new IllegalArgumentException(PROPERTY + " must be log-anomaly or probe, not '" + name + "'");
        };
    }

    /**
     * The log-anomaly job from target/linnet-jobs.jar (built by the package phase before the cluster test runs),
     * with the model the cluster's linnet.model.path names (in the image), or its bundled default model where that
     * is unset (the process cluster on this machine).
     */
    static ClusterJob logAnomaly() {
        ObjectMapper json = new ObjectMapper();
        return new ClusterJob() {
            /**
             * Poison records among the routine ones, before the kill: a 2 MB and a 10 MB line, an 800 KB line of
             * invalid UTF-8, and a line under a key of invalid bytes. Each must be answered exactly once, as in the
             * undisturbed run, and never restart the job.
             */
            static final int POISON = 300;

            @Override
            public byte[] inputKeyBytes(int i) {
                return i == POISON + 3 ? new byte[] {(byte) 0xFF, (byte) 0xFE, 'k'} : ClusterJob.super.inputKeyBytes(i);
            }

            @Override
            public byte[] inputValueBytes(int i) {
                return switch (i - POISON) {
                    case 0 -> bigLine(i, 2_000_000);
                    case 1 -> bigLine(i, 10_000_000);
                    case 2 -> {
                        byte[] b = bigLine(i, 800_000);
                        for (int at = 500; at < b.length; at += 1000) {
                            b[at] = (byte) 0xFF;
                        }
                        yield b;
                    }
                    default -> ClusterJob.super.inputValueBytes(i);
                };
            }

            private byte[] bigLine(int i, int bytes) {
                StringBuilder b = new StringBuilder(bytes).append(inputValue(i));
                for (int n = 0; b.length() < bytes; n++) {
                    b.append(" 0x").append(Integer.toHexString(n * 7919));
                }
                b.setLength(bytes);
                return b.toString().getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public Path jar(Path workDir) {
                Path jar = Path.of("target", "linnet-jobs.jar").toAbsolutePath();
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException(
                            jar + " is missing: run the cluster test through `mvn -P cluster-it verify`, "
                                    + "whose package phase builds it");
                }
                return jar;
            }

            @Override
            public String entryClass() {
                return "dev.linnet.flink.cli.LinnetJobs";
            }

            @Override
            public List<String> arguments(
                    String bootstrapServers, String inputTopic, String outputTopic, String prefix) {
                return List.of(
                        "log-anomaly",
                        "--bootstrap-servers",
                        bootstrapServers,
                        "--input-topic",
                        inputTopic,
                        "--output-topic",
                        outputTopic,
                        "--dead-letter-topic",
                        inputTopic + "-dead-letters",
                        "--group-id",
                        prefix,
                        "--transactional-id-prefix",
                        prefix,
                        "--starting-offsets",
                        "earliest",
                        "--checkpoint-interval",
                        "1s");
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

            /**
             * Each line scored under its own key, with its own text and timestamp, a finite surprisal, and the key's
             * history exactly as long as the key's earlier lines: {@code history} counts them and {@code tokensSeen}
             * adds up their tokens, both kept in keyed state.
             */
            @Override
            public void checkReference(List<KafkaRecords.Produced> inputs, Map<String, String> answers) {
                Map<String, Long> lines = new HashMap<>();
                Map<String, Long> tokens = new HashMap<>();
                List<String> wrong = new ArrayList<>();
                int anomalies = 0;
                for (KafkaRecords.Produced in : inputs) {
                    JsonNode r = parse(answers.get(in.position()));
                    long earlierLines = lines.merge(in.key(), 1L, Long::sum) - 1;
                    long lineTokens = r.path("tokens").asLong();
                    long tokensSeen = tokens.merge(in.key(), lineTokens, Long::sum);
                    JsonNode surprisal = r.path("meanSurprisal");
                    String problem = null;
                    String line = r.path("line").asText();
                    boolean cut = r.path("lineTruncated").asBoolean();
                    if (!in.key().equals(r.path("key").asText())
                            || !(cut ? in.value().startsWith(line) : in.value().equals(line))) {
                        problem = "key/line " + r.path("key") + "/" + r.path("line") + ", not " + in.key() + "/"
                                + in.value();
                    } else if (cut != (in.value().length() > 60_000)
                            || r.path("truncated").asBoolean() != (in.value().length() > 60_000)) {
                        problem = "lineTruncated " + cut + ", truncated " + r.path("truncated") + " for a line of "
                                + in.value().length() + " chars";
                    } else if (r.path("timestamp").asLong() != in.timestamp()) {
                        problem = "timestamp " + r.path("timestamp") + ", not " + in.timestamp();
                    } else if (lineTokens < 1 || !surprisal.isNumber() || !Double.isFinite(surprisal.asDouble())) {
                        problem = lineTokens + " tokens, mean surprisal " + surprisal;
                    } else if (r.path("history").asLong() != earlierLines
                            || r.path("tokensSeen").asLong() != tokensSeen) {
                        problem = "history " + r.path("history") + " lines / " + r.path("tokensSeen") + " tokens, not "
                                + earlierLines + " / " + tokensSeen;
                    }
                    if (problem != null) {
                        wrong.add(in.position() + " (input " + in.index() + "): " + problem);
                    }
                    anomalies += r.path("anomaly").asBoolean() ? 1 : 0;
                }
                assertEquals(
                        List.of(),
                        wrong.subList(0, Math.min(10, wrong.size())),
                        wrong.size() + " reference answers are not what log-anomaly computes from their input");
                System.out.println("[cluster-it] reference: " + inputs.size() + " lines scored, " + anomalies
                        + " flagged as anomalies");
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
            public List<String> arguments(
                    String bootstrapServers, String inputTopic, String outputTopic, String prefix) {
                return List.of(
                        "--bootstrap-servers",
                        bootstrapServers,
                        "--input-topic",
                        inputTopic,
                        "--output-topic",
                        outputTopic,
                        "--transactional-id-prefix",
                        prefix);
            }

            @Override
            public String answeredInput(String outputKey, String outputValue) {
                int bar = outputValue.indexOf('|');
                if (bar < 0) {
                    throw new IllegalArgumentException("not a probe output: " + outputValue);
                }
                return outputValue.substring(0, bar);
            }

            /** The probe's answers computed here: per key, in input order, its sequence number and history hash. */
            @Override
            public void checkReference(List<KafkaRecords.Produced> inputs, Map<String, String> answers) {
                Map<String, List<String>> history = new HashMap<>();
                Map<String, String> expected = new TreeMap<>();
                for (KafkaRecords.Produced in : inputs) {
                    List<String> lines = history.computeIfAbsent(in.key(), k -> new ArrayList<>());
                    lines.add(in.value());
                    expected.put(
                            in.position(),
                            in.position() + "|" + in.key() + "|" + (lines.size() - 1) + "|"
                                    + Long.toHexString(KeyedHistoryFunction.historyHash(lines)) + "|" + in.value());
                }
                assertEquals(
                        expected,
                        new TreeMap<>(answers),
                        "the reference run's answers are the probe's per-key history");
            }
        };
    }
}
