package dev.linnet.flink.jobs;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The Kafka side of a job: broker, topics, consumer group, transactional-id prefix, where to start, and
 * any extra client properties (security and the like), which go to the source and both sinks.
 *
 * @param bounded stop once the offsets that were latest at start have been read (the embedded run and
 *                tests); otherwise the job runs until cancelled
 */
public record KafkaEndpoints(
        String bootstrapServers,
        String inputTopic,
        String outputTopic,
        String deadLetterTopic,
        String groupId,
        String transactionalIdPrefix,
        StartingOffsets startingOffsets,
        boolean bounded,
        Map<String, String> clientProperties)
        implements Serializable {

    public KafkaEndpoints {
        require(bootstrapServers, "--bootstrap-servers");
        require(inputTopic, "--input-topic");
        require(outputTopic, "--output-topic");
        require(deadLetterTopic, "--dead-letter-topic");
        require(groupId, "--group-id");
        require(transactionalIdPrefix, "--transactional-id-prefix");
        Objects.requireNonNull(startingOffsets, "startingOffsets");
        if (inputTopic.equals(outputTopic) || inputTopic.equals(deadLetterTopic)) {
            throw new IllegalArgumentException("--input-topic " + inputTopic + " must differ from the output and "
                    + "dead-letter topics (the job would read its own output)");
        }
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(new TreeMap<>(clientProperties));
        // refused here, before anything starts, rather than by the first dead letter that cannot be written
        KafkaIo.maxRecordBytes(clientProperties);
    }

    private static void require(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " must not be empty");
        }
    }
}
