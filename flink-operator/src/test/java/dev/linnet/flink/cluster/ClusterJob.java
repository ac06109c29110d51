package dev.linnet.flink.cluster;

import dev.linnet.flink.cluster.probe.ExactlyOnceProbeJob;
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

    /** Record key of input record i (records of one key keep their order: same key, same partition). */
    String inputKey(int i);

    /** Value of input record i. */
    String inputValue(int i);

    /** The input position "partition/offset" that an output record answers. */
    String answeredInput(String outputKey, String outputValue);

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
            public String inputKey(int i) {
                return String.format("host-%02d", (i * 7 + i / 13) % 16);
            }

            @Override
            public String inputValue(int i) {
                return "INFO request id=" + i + " path=/api/v1/items/" + (i % 97) + " took=" + (i * 37 % 250) + "ms";
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
