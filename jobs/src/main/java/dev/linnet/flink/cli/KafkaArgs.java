package dev.linnet.flink.cli;

import dev.linnet.flink.jobs.KafkaEndpoints;
import dev.linnet.flink.jobs.StartingOffsets;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The Kafka options every job takes. */
final class KafkaArgs {

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers to read from and write to (required; the local runner runs without them: "
                    + "an in-JVM broker, a local Flink MiniCluster and the bundled sample logs).")
    String bootstrapServers;

    @Option(
            names = "--input-topic",
            paramLabel = "TOPIC",
            defaultValue = "linnet-logs",
            description = "Topic of log lines (value = the line). Default: ${DEFAULT-VALUE}.")
    String inputTopic;

    @Option(
            names = "--output-topic",
            paramLabel = "TOPIC",
            description =
                    "Topic the JSON results go to. Default: linnet-log-scores (log-anomaly), linnet-digests (topic-digest).")
    String outputTopic;

    @Option(
            names = "--dead-letter-topic",
            paramLabel = "TOPIC",
            defaultValue = "linnet-dead-letters",
            description =
                    "Topic for records that could not be scored as they were, with the reason. Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    @Option(
            names = "--group-id",
            paramLabel = "ID",
            description = "Consumer group of the source. Default: the job's name.")
    String groupId;

    @Option(
            names = "--transactional-id-prefix",
            paramLabel = "PREFIX",
            description = "Prefix of the exactly-once sinks' transactional ids; unique per job on one Kafka cluster. "
                    + "Default: the job's name.")
    String transactionalIdPrefix;

    @Option(
            names = "--starting-offsets",
            paramLabel = "WHERE",
            defaultValue = "committed",
            converter = EnumConverter.StartingOffsetsConverter.class,
            description = "Where to start without a checkpoint: earliest, latest or committed (the group's offsets, "
                    + "else earliest). Default: ${DEFAULT-VALUE}.")
    StartingOffsets startingOffsets;

    @Option(
            names = "--bounded",
            description =
                    "Stop after the records that were in the input topic when the job started (default: run until cancelled).")
    boolean bounded;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description =
                    "Extra Kafka client property for the source and sinks (e.g. security.protocol=SSL); repeatable.")
    Map<String, String> clientProperties = new LinkedHashMap<>();

    boolean embedded() {
        return bootstrapServers == null || bootstrapServers.isBlank();
    }

    KafkaEndpoints endpoints(String bootstrap, String jobName, String defaultOutputTopic, boolean forceBounded) {
        return new KafkaEndpoints(
                bootstrap,
                inputTopic,
                outputTopic == null ? defaultOutputTopic : outputTopic,
                deadLetterTopic,
                groupId == null ? jobName : groupId,
                transactionalIdPrefix == null ? jobName : transactionalIdPrefix,
                startingOffsets,
                bounded || forceBounded,
                clientProperties);
    }
}
