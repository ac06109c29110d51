package dev.linnet.flink.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a POJO as a JSON value (its public fields; nulls left out), keyed by the given function, to one topic.
 * The Kafka record timestamp is the time of writing, not the input's event time (which is in the JSON): output
 * stamped with old event times (a replay of last month's logs) would fall to the topic's time-based retention
 * at once, and a timer's time (Long.MAX_VALUE at the end of a bounded input) would be refused by the broker.
 */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, String> key;
    private transient ObjectMapper json;

    public JsonRecordSerializer(String topic, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.key = key;
    }

    /** The mapper the jobs write their records with (also used by tests and the embedded run to read them). */
    public static ObjectMapper mapper() {
        return new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long flinkTimestamp) {
        if (json == null) {
            json = mapper();
        }
        byte[] value;
        try {
            value = json.writeValueAsBytes(element);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write " + element.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
        String k = key.apply(element);
        return new ProducerRecord<>(topic, null, null, k == null ? null : k.getBytes(StandardCharsets.UTF_8), value);
    }
}
